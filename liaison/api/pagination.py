from rest_framework.pagination import PageNumberPagination

from liaison.core.counting import COUNT_CAP, CappedPaginator


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view):
        # Whole numbers from 1 (liaison/api/schema_check.py refuses others, which DRF ignored); a
        # page_size over the maximum is served as the maximum, as the description says.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                most = self.max_page_size
                parameter["description"] = (
                    f"Rows per page: 20 by default; more than {most} gives {most}."
                )
        return parameters


class CappedPagination(Pagination):
    """For lists that may hold hundreds of thousands of rows (the staff case list): `count` stops
    at COUNT_CAP + 1 (liaison/core/counting.py) and `count_capped` says there are more than
    COUNT_CAP; `next` links on up to that row."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = (
            f"Counted up to {COUNT_CAP + 1}: past {COUNT_CAP} see count_capped."
        )
        answer["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"True when there are more than {COUNT_CAP} rows.",
        }
        answer["required"] = [*answer.get("required", []), "count_capped"]
        return answer
