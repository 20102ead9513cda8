package dev.incidentplatform.incident.service;

/** Why a command was refused before anything was appended; the API maps each to its status. */
public abstract class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected CommandFailure(String message) {
        super(message);
    }

    /** 404. */
    public static final class IncidentNotFound extends CommandFailure {
        private static final long serialVersionUID = 1L;

        public IncidentNotFound(Object id) {
            super("There is no incident " + id + ".");
        }
    }

    /** 412: the client's If-Match names a version that is not the current one. */
    public static final class StaleVersion extends CommandFailure {
        private static final long serialVersionUID = 1L;
        private final int currentVersion;

        public StaleVersion(String ifMatch, int currentVersion) {
            super("If-Match " + ifMatch + " does not match the incident's current version \"" + currentVersion
                    + "\"; read it again and retry with If-Match: \"" + currentVersion + "\".");
            this.currentVersion = currentVersion;
        }

        public int currentVersion() {
            return currentVersion;
        }
    }

    /** 409: another command appended to the incident while this one was being decided. */
    public static final class ConcurrentChange extends CommandFailure {
        private static final long serialVersionUID = 1L;

        public ConcurrentChange(Object id, int version) {
            super("Incident " + id + " changed while this request was decided (version " + version
                    + " was written by another request); nothing was appended. Read it again and retry.");
        }
    }
}
