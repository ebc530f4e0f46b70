from rest_framework.pagination import PageNumberPagination


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
