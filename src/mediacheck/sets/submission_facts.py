"""The facts of a unit's submission and of a district's (#10): a leaf module, so that
validating a profile reads them without importing the checkers.

Counts come with a `_list` text naming what they count ("统计表.xlsx; 统计表2.xlsx"),
for messages; a finding's measured column shows the names with how each role was
decided (sets/submission.py).
"""

from __future__ import annotations

# kind "submission": one unit's folder or zip (SUB-COMPLETE, T-SUMMARY)
FACTS: dict[str, str] = {
    "submission.unit": "",  # the unit's name: its table's 单位, else the folder's
    "submission.files": "",  # files in it (system junk not counted)
    "submission.tables": "",  # statistics tables (a sealed PDF/OFD copy not counted)
    "submission.tables_list": "",
    "submission.sealed_copies": "",  # signed PDF/OFD copies of the table
    "submission.summaries": "",  # work summaries (T-SUMMARY)
    "submission.summaries_list": "",
    "submission.cases": "",  # case folders
    "submission.cases_list": "",
    "submission.untold_texts": "",  # texts whose role neither config, folder, name nor title told
    "submission.untold_list": "",
    "submission.others": "",  # files of no part of the submission: listed
    "submission.others_list": "",
    "submission.parts_failing": "",  # its files and case failing their own rules
    "submission.parts_failing_list": "",
    "submission.archive_problems": "",  # zip members that could not be unpacked safely
    "submission.archive_list": "",
}

# kind "district": the folder holding every unit's submission (SUB-DISTRICT)
DISTRICT_FACTS: dict[str, str] = {
    "district.units": "",  # unit folders and zips found
    "district.units_list": "",
    "district.units_missing": "",  # listed in units.yaml, not found
    "district.units_missing_list": "",
    "district.units_unexpected": "",  # found, not listed in units.yaml
    "district.units_unexpected_list": "",
    "district.units_failing": "",  # units whose submission fails a rule
    "district.units_failing_list": "",
    "district.duplicate_photos": "",  # photos of one unit's case repeated in another's
    "district.duplicate_photos_list": "",
    "district.duplicate_texts": "",  # texts repeated across units (normalised content)
    "district.duplicate_texts_list": "",
    "district.tables_unread": "",  # units whose numbers cannot enter the total
    "district.tables_unread_list": "",
    "district.tables_same_unit": "",  # tables naming the same 单位
    "district.tables_same_unit_list": "",
    "district.tables_copied": "",  # units whose tables hold the very same numbers
    "district.tables_copied_list": "",
    "district.others": "",  # other entries of the folder: listed
    "district.others_list": "",
}
