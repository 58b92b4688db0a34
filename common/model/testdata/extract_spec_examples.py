#!/usr/bin/env python3
"""Extracts the example payloads that contain issues from Atlassian's OpenAPI
file for Jira Cloud into spec_*.json test data (verbatim example text).

Run from the repository root:
  python3 common/model/testdata/extract_spec_examples.py \
      /work/shared/reference/jira-platform-openapi-v3.json
"""
import json
import pathlib
import sys

# (path, method, output file) - every 200 example whose body holds IssueBeans.
SOURCES = [
    ("/rest/api/3/issue/{issueIdOrKey}", "get", "spec_get_issue.json"),
    ("/rest/api/3/search/jql", "get", "spec_search_jql_get.json"),
    ("/rest/api/3/search/jql", "post", "spec_search_jql_post.json"),
    ("/rest/api/3/search", "get", "spec_search_get.json"),
    ("/rest/api/3/search", "post", "spec_search_post.json"),
    ("/rest/api/3/issue/bulkfetch", "post", "spec_bulkfetch_post.json"),
]


def main() -> int:
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    out_dir = pathlib.Path(__file__).resolve().parent
    for path, method, name in SOURCES:
        content = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        example = content["example"]
        text = example if isinstance(example, str) else json.dumps(example)
        json.loads(text)  # must be valid JSON
        (out_dir / name).write_text(text + "\n", encoding="utf-8")
        print(f"{name} <- {method.upper()} {path}")
    # IssueBean has no component-level example in the spec (checked by this script).
    schemas = spec["components"]["schemas"]
    assert "example" not in schemas["IssueBean"], "IssueBean gained an example: extract it too"
    return 0


if __name__ == "__main__":
    sys.exit(main())
