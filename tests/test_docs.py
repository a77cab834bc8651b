"""The generated rule reference: up to date, complete, and regenerated cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from serverless_guard import docs
from serverless_guard.catalog import BY_ID, CATALOG

ROOT = Path(__file__).resolve().parents[1]
RULES_DOCS = ROOT / "docs" / "rules"


def test_rule_reference_is_up_to_date() -> None:
    problems = docs.differences(RULES_DOCS)
    assert not problems, (
        "docs/rules/ differs from the generated rule reference: "
        + "; ".join(problems)
        + ". Run `make docs` (python -m serverless_guard.docs)."
    )


def test_every_rule_has_a_page_and_an_index_entry() -> None:
    pages = docs.pages()
    assert set(pages) == {f"{rule.id}.md" for rule in CATALOG} | {"README.md"}
    index = pages["README.md"]
    for rule in CATALOG:
        assert f"[`{rule.id}`]({rule.id}.md)" in index
        page = pages[f"{rule.id}.md"]
        assert f"# {rule.title}" in page
        assert f"| Rule id | `{rule.id}` |" in page
        assert f"| Severity | {rule.severity.value} |" in page
        assert f"| Default enforcement | {rule.default_enforcement.value} |" in page
        assert rule.rationale in page
        for url in rule.references:
            assert f"<{url}>" in page
        for engine in ("**AWS CDK**", "**Pulumi**"):
            assert engine in page


def test_page_with_parameters_and_anchors() -> None:
    page = docs.rule_page(BY_ID["logs-retention-set"])
    assert "| `min_days` | integer | `365` | Shortest retention allowed, in days. |" in page
    assert "| `max_days` | integer or null | `null` |" in page
    assert "| checkov | `CKV_AWS_66` |" in page
    assert "| cdk-nag | `Serverless-CloudWatchLogGroupRetentionPeriod` |" in page
    assert '{"logs-retention-set": {"enforcementLevel": "mandatory", "min_days": 365' in page
    assert "- **CloudFormation**: Set `RetentionInDays`" in page
    without = docs.rule_page(BY_ID["lambda-log-retention"])
    assert "This rule takes no parameters." in without


def test_index_groups_by_domain() -> None:
    index = docs.index()
    headings = [line for line in index.splitlines() if line.startswith("## ")]
    assert headings[-1] == "## Suppressions"
    assert "## Logging" in headings
    assert "`invalid-suppression`" in index


def test_write_removes_stale_pages_and_check_reports(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "retired-rule.md").write_text("old\n", encoding="utf-8")
    (folder / "keep.txt").write_text("not a page\n", encoding="utf-8")
    assert docs.main(["--out", str(folder), "--check"]) == 1
    assert (folder / "retired-rule.md").exists()
    changed = docs.write(folder)
    assert "retired-rule.md" in changed
    assert not (folder / "retired-rule.md").exists()
    assert (folder / "keep.txt").exists()
    assert docs.differences(folder) == []
    assert docs.write(folder) == []
    assert docs.main(["--out", str(folder), "--check"]) == 0


def test_module_entry_point(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    proc = subprocess.run(
        [sys.executable, "-m", "serverless_guard.docs", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert docs.differences(out) == []
