"""The list's filters as a user names them (core): the same words in a page's message
about a bad parameter and in the description of an exported selection."""

from __future__ import annotations

# A filter's key (the query parameter, `FormFilters`' field) → its name.
FILTER_LABELS = {
    "year": "年度",
    "kind": "表单类型",
    "department": "主管部门",
    "unit": "实施单位",
    "grade": "评分等级",
    "finding": "问题类型",
    "severity": "问题级别",
    "q": "全文检索",
    "project_id": "项目编号",
    "import_id": "导入批次",
}
