"""One roster row as the member it asks for, or the reasons it cannot be one (per field)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from services.points.imports.tables import Column, Row
from services.points.imports.units import UnitTree

COLUMNS = (
    Column("staff_no", ("staff_no", "staff number", "employee id", "employee no", "工号",
                        "员工编号", "员工号", "职工号", "人员编号")),
    Column("name", ("name", "full name", "姓名", "名字", "员工姓名")),
    Column("unit", ("unit", "unit path", "department", "单位路径", "部门路径", "部门", "单位",
                    "所属部门", "所在部门")),
    Column("email", ("email", "mail", "邮箱", "电子邮箱", "电子邮件", "邮件"), required=False),
    Column("phone", ("phone", "mobile", "telephone", "手机", "手机号", "手机号码", "电话",
                     "联系电话"), required=False),
    Column("active", ("active", "status", "状态", "在职", "在职状态", "是否在职", "人员状态"),
           required=False),
)  # fmt: skip
YES = frozenset({"yes", "y", "true", "1", "active", "是", "在职", "有效"})
NO = frozenset({"no", "n", "false", "0", "inactive", "否", "离职", "无效"})
STAFF_NO = re.compile(r"[A-Za-z0-9_.-]{1,64}")
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s.]+")
PHONE = re.compile(r"\+?[0-9]{5,20}")
PHONE_DECORATION = str.maketrans("", "", " -()\u3000")


@dataclass
class Wanted:
    """What the file says of one member. A column the file does not have changes nothing:
    ``active`` is then None (new members are active) and ``contact`` lacks the field; an empty
    active cell means active, an empty email or phone cell means none."""

    line: int
    staff_no: str
    name: str
    unit_id: int
    active: bool | None
    contact: dict[str, str | None] = field(default_factory=dict)


def parse(row: Row, tree: UnitTree) -> Wanted | dict[str, list[str]]:
    values, errors = row.values, {}
    staff_no, name = values["staff_no"], values["name"]
    if not STAFF_NO.fullmatch(staff_no):
        errors["staff_no"] = ["Use 1-64 letters, digits, '.', '-' or '_'."]
    if not 1 <= len(name) <= 200:
        errors["name"] = ["Give a name of 1-200 characters."]
    elif any(unicodedata.category(char) == "Cc" for char in name):
        errors["name"] = ["A name holds no control characters (line breaks, tabs)."]
    unit = tree.resolve(values["unit"])
    if isinstance(unit, str):
        errors["unit"] = [unit]
    active = _active(values.get("active"), errors)
    contact = _contact(values, errors)
    if errors or isinstance(unit, str):
        return errors
    return Wanted(row.line, staff_no, name, unit.id, active, contact)


def _active(text: str | None, errors: dict[str, list[str]]) -> bool | None:
    if text is None:
        return None
    if text.lower() not in YES | NO | {""}:
        errors["active"] = [f"{text!r} is not one of yes/no, 是/否, 在职/离职, 1/0, true/false."]
    return text.lower() not in NO


def _contact(values: dict[str, str], errors: dict[str, list[str]]) -> dict[str, str | None]:
    contact: dict[str, str | None] = {}
    if "email" in values:
        email = contact["email"] = values["email"] or None
        if email is not None and (len(email) > 254 or not EMAIL.fullmatch(email)):
            errors["email"] = [f"{email!r} is not an email address."]
    if "phone" in values:
        phone = contact["phone"] = values["phone"].translate(PHONE_DECORATION) or None
        if phone is not None and not PHONE.fullmatch(phone):
            errors["phone"] = [f"{values['phone']!r} is not a phone number (5-20 digits)."]
    return contact
