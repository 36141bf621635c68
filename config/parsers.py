"""The JSON API's request parsers."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class DepthSafeJSONParser(JSONParser):
    """DRF's JSON parser, answering 400 for JSON nested too deeply to decode.

    DRF turns only ValueError into a parse error; a body of some 100,000 nested arrays makes
    Python's decoder raise RecursionError, which would answer 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
