package dev.incidentplatform.testsupport.contract;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/** Checks every REST Assured call of a test against the called service's OpenAPI document ({@link OpenApiContract}). */
public final class OpenApiValidationFilter implements OrderedFilter {

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(request, responseSpec);
        URI uri = URI.create(request.getURI());
        String path = uri.getRawPath();
        if (OpenApiContract.isApiPath(path)) {
            Map<String, List<String>> query = new LinkedHashMap<>();
            // Declared as String values, but a parameter given more than once holds a list of them.
            Map<String, ?> given = request.getQueryParams();
            given.forEach((name, value) -> query.put(name, value instanceof Collection<?> values
                    ? values.stream().map(String::valueOf).toList() : List.of(String.valueOf(value))));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (Header header : response.getHeaders()) {
                headers.computeIfAbsent(header.getName(), n -> new java.util.ArrayList<>()).add(header.getValue());
            }
            OpenApiContract.of(uri).check(request.getMethod(), path, query, response.getStatusCode(), headers,
                    response.getBody().asString(), false);
        }
        return response;
    }

    @Override
    public int getOrder() {
        // Last, so that it sees the response exactly as the test does.
        return OrderedFilter.LOWEST_PRECEDENCE;
    }
}
