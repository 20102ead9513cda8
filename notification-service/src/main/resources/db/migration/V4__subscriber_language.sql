-- The language a subscriber reads notices in (a BCP 47 tag of a language the templates exist in; NULL: English) and
-- the IANA time zone their dates are written in (NULL: UTC).
ALTER TABLE subscriber ADD COLUMN locale text, ADD COLUMN time_zone text;
