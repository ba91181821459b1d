"""Portfolio settings: one ``kam.yaml`` at the root of a portfolio folder.

Every threshold DOMAIN.md names lives here with the default DOMAIN.md gives, so a team
can tune its portfolio without touching code. Loaded by the same positioned YAML loader
as the plans, so a bad setting is reported with ``kam.yaml:line:col``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from workbench.plan.model import Language
from workbench.scalars import Day, Money, Ratio, ShortText, Text

SETTINGS_FILE = "kam.yaml"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Policy(StrEnum):
    """What a ledger data-quality rule does with the rows it matches."""

    KEEP = "keep"
    EXCLUDE = "exclude"
    ERROR = "error"


class RulePolicies(Strict):
    returns: Policy = Field(
        Policy.KEEP, description="Negative quantities (returns): keep reduces revenue, as DOMAIN.md defines."
    )
    cancelled: Policy = Field(Policy.EXCLUDE, description="Lines marked cancelled (作废) in a status column.")
    missing_customer: Policy = Field(Policy.ERROR, description="Sales lines without a customer id.")
    duplicates: Policy = Field(Policy.ERROR, description="Exact duplicate lines (same values in every column).")
    zero_price: Policy = Field(Policy.KEEP, description="Lines with a unit price of 0 (samples, free goods).")
    non_product: Policy = Field(
        Policy.EXCLUDE, description="Non-product codes (postage, fees, adjustments) listed in `non_product_codes`."
    )
    amount_mismatch: Policy = Field(
        Policy.ERROR, description="`amount` differing from quantity × unit price by more than 0.01."
    )
    no_invoice_payment: Policy = Field(
        Policy.KEEP,
        description="Payments naming no invoice (kept: applied to the customer's oldest open invoices first).",
    )
    unknown_invoice_payment: Policy = Field(
        Policy.KEEP, description="Payments naming an invoice that is not in the sales sheet (kept as unapplied)."
    )
    foreign_currency: Policy = Field(
        Policy.ERROR,
        description="Rows in another currency without a rate in `currency_rates`: exclude or error (never keep: "
        "foreign amounts would be summed as the portfolio currency).",
    )

    @field_validator("foreign_currency")
    @classmethod
    def _never_summed(cls, policy: Policy) -> Policy:
        if policy == Policy.KEEP:
            raise ValueError(
                "`keep` would sum amounts in another currency as the portfolio currency; use `error` (default) or"
                " `exclude`, and add the rate to `ledger.currency_rates` to convert them"
            )
        return policy


def _unknown_key(what: str, key: str, known: list[str]) -> str:
    import difflib

    near = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    return (
        f"unknown {what} `{key}`" + (f" (did you mean `{near[0]}`?)" if near else "") + f"; known: {', '.join(known)}"
    )


class LedgerSettings(Strict):
    files: list[str] = Field(
        default_factory=list,
        description="Workbook paths (xlsx, xlsm, xls, ods, csv), relative to the portfolio folder; globs allowed.",
    )
    column_map: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Per sheet kind (sales, payments, inventory, prices, customers): canonical column name → header text in your workbooks, for headers the built-in aliases do not know. A mapped header wins over the built-in aliases.",
    )
    sheet_names: dict[str, list[str]] = Field(
        default_factory=dict, description="Per sheet kind: extra sheet names to recognise."
    )
    date_formats: list[str] = Field(
        default_factory=lambda: ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"],
        description="strptime formats tried for dates written as text (ISO dates with a time, `2026-03-02T10:00`, are always read).",
    )
    decimal_comma: bool = Field(
        False,
        description="Numbers written as text use a decimal comma (`1.020,50`, `1 020,50`), as in many European exports. Off: a comma only groups thousands (`1,020.50`), and `42,50` is an error.",
    )
    csv_encodings: list[str] = Field(
        default_factory=lambda: ["utf-8-sig", "gb18030"],
        description="Encodings tried for CSV files, in order (UTF-16 with a byte-order mark is recognised by it).",
    )
    non_product_codes: list[str] = Field(
        default_factory=lambda: ["POSTAGE", "FREIGHT", "FEE", "ADJ", "运费", "手续费", "调整"],
        description="SKU codes that are not products (postage, fees, adjustments).",
    )
    cancelled_markers: list[str] = Field(
        default_factory=lambda: ["cancelled", "canceled", "void", "作废", "取消"],
        description="Status values that mark a cancelled invoice line.",
    )
    currency_rates: dict[str, Decimal] = Field(
        default_factory=dict,
        description="Rates converting other currencies into the portfolio currency (1 unit of key = value); keys are 3-letter currency codes such as USD.",
    )
    policies: RulePolicies = Field(
        default_factory=RulePolicies, description="What each data-quality rule does: keep, exclude or error."
    )
    max_file_mb: int = Field(
        200, ge=1, description="Refuse workbooks larger than this (uncompressed size checked too)."
    )
    read_timeout_s: int = Field(
        600, ge=10, description="Give up reading one workbook after this many seconds (a damaged or hostile file)."
    )

    @field_validator("column_map")
    @classmethod
    def _known_columns(cls, column_map: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        from workbench.ledger.columns import ALIASES

        problems = []
        for kind, columns in column_map.items():
            if kind not in ALIASES:
                problems.append(_unknown_key("sheet kind", kind, list(ALIASES)))
                continue
            for name, header in columns.items():
                if name not in ALIASES[kind]:
                    problems.append(_unknown_key(f"{kind} column", name, list(ALIASES[kind])))
                elif not str(header).strip():
                    problems.append(f"the header text of `{kind}.{name}` is empty")
        if problems:
            raise ValueError("; ".join(problems))
        return column_map

    @field_validator("sheet_names")
    @classmethod
    def _known_kinds(cls, sheet_names: dict[str, list[str]]) -> dict[str, list[str]]:
        from workbench.ledger.columns import ALIASES

        unknown = [_unknown_key("sheet kind", kind, list(ALIASES)) for kind in sheet_names if kind not in ALIASES]
        if unknown:
            raise ValueError("; ".join(unknown))
        return sheet_names

    @field_validator("currency_rates")
    @classmethod
    def _currency_codes(cls, rates: dict[str, Decimal]) -> dict[str, Decimal]:
        import re

        out: dict[str, Decimal] = {}
        for code, rate in rates.items():
            if not re.fullmatch(r"[A-Za-z]{3}", code.strip()):
                raise ValueError(f"`{code}` is not a 3-letter currency code such as USD or EUR")
            if rate <= 0:
                raise ValueError(f"the rate of {code.upper()} must be above 0 (got {rate})")
            out[code.strip().upper()] = rate
        return out


class AbcSettings(Strict):
    a_cut: Ratio = Field(Decimal("0.80"), description="A while the share of customers ranked above is below this.")
    b_cut: Ratio = Field(Decimal("0.95"), description="B while the share of customers ranked above is below this.")

    @model_validator(mode="after")
    def _ordered(self) -> AbcSettings:
        if not (0 < self.a_cut < self.b_cut <= 1):
            raise ValueError("need 0 < a_cut < b_cut ≤ 1")
        return self


class InventorySettings(Strict):
    band_low_days: int = Field(20, ge=0, description="Below this many days of stock the next order should be larger.")
    band_high_days: int = Field(25, ge=0, description="Above this many days of stock the next order should be smaller.")
    window_days: int = Field(
        30,
        ge=1,
        le=366,
        description="Trailing window for the average daily sell-out; a latest report older than this is stale.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> InventorySettings:
        if not self.band_low_days < self.band_high_days:
            raise ValueError(
                f"need band_low_days < band_high_days (got {self.band_low_days} and {self.band_high_days})"
            )
        return self


class PriceSettings(Strict):
    floor: Ratio = Field(
        Decimal("-0.05"), description="Deviation below which a resale price flags dumping risk (窜货)."
    )
    ceiling: Ratio = Field(Decimal("0.10"), description="Deviation above which a resale price flags lost end demand.")
    spread_alert: Ratio = Field(
        Decimal("0.15"), description="Max − min deviation over the period above which the market is unstable."
    )

    @model_validator(mode="after")
    def _around_zero(self) -> PriceSettings:
        if not self.floor < 0 < self.ceiling:
            raise ValueError(f"need floor < 0 < ceiling (got floor {self.floor}, ceiling {self.ceiling})")
        if self.spread_alert <= 0:
            raise ValueError(f"spread_alert must be above 0 (got {self.spread_alert})")
        return self


class GuidelinePrice(Strict):
    sku: ShortText = Field(description="SKU code as in the ledger.")
    price: Money = Field(gt=0, description="Guideline resale price.")
    product_line: ShortText | None = Field(None, description="Product line of the SKU.")


class CreditSettings(Strict):
    tolerance_days: int = Field(0, ge=0, description="Days past due tolerated before a customer is put on hold.")
    aging_buckets: list[int] = Field(
        default_factory=lambda: [30, 60, 90],
        description="Upper edges in days past due of the aging buckets after 'not due' (last bucket is open-ended).",
    )
    blacklist_after_overdue: int = Field(
        3, ge=1, description="Invoices paid (or still open) past due that propose a customer for the blacklist."
    )

    @model_validator(mode="after")
    def _ascending(self) -> CreditSettings:
        if not self.aging_buckets or sorted(set(self.aging_buckets)) != self.aging_buckets or self.aging_buckets[0] < 1:
            raise ValueError("aging_buckets must be strictly ascending positive day counts")
        return self


class ActivitySettings(Strict):
    credit: Literal["owner", "taker"] = Field(
        "owner", description="Who gets credit for a sale: the account owner (default) or the order taker."
    )
    alert_below: Ratio = Field(
        Decimal("0.60"),
        description="Monthly activity rate below which `kam check` warns (per salesperson, naming the months).",
    )

    @model_validator(mode="after")
    def _a_rate(self) -> ActivitySettings:
        if not 0 < self.alert_below <= 1:
            raise ValueError(f"alert_below must be a rate above 0 and at most 1 (got {self.alert_below})")
        return self


class StarSettings(Strict):
    sound_finance: int = Field(
        4, ge=1, le=5, description="Financial health score (1–5) at or above which finance is sound (4 and 3 stars)."
    )
    business_sense: int = Field(
        4,
        ge=1,
        le=5,
        description="Business initiative score at or above which an account has business sense (4 stars).",
    )
    initiative: int = Field(
        3, ge=1, le=5, description="Business initiative score at or above which an account shows initiative (2 stars)."
    )
    missing_score: int = Field(3, ge=1, le=5, description="What a score missing from the plan counts as.")
    standard_term_days: int | Literal["median"] = Field(
        "median",
        description="The portfolio's standard credit term: 3 stars need a term no longer than this (a longer one is a "
        "need for longer terms); default the median of the terms granted to the planned accounts (term > 0).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> StarSettings:
        if not self.initiative <= self.business_sense:
            raise ValueError(f"need initiative ≤ business_sense (got {self.initiative} and {self.business_sense})")
        if isinstance(self.standard_term_days, int) and not 0 <= self.standard_term_days <= 365:
            raise ValueError(f"standard_term_days must be 0–365 days (got {self.standard_term_days})")
        return self


class ClassifySettings(Strict):
    abc: AbcSettings = Field(default_factory=AbcSettings, description="ABC / Pareto cuts.")
    value_threshold: Money | Literal["median"] = Field(
        "median",
        description="Revenue above which an account is 'big' in the value × loyalty quadrant; default the portfolio median.",
    )
    loyalty_threshold: Ratio = Field(
        Decimal("0.75"),
        description="Purchase regularity (share of months with purchases) at or above which an account without a loyalty score is loyal.",
    )
    loyalty_score_threshold: int = Field(
        4, ge=1, le=5, description="Loyalty score at or above which an account is loyal."
    )
    matrix_threshold: Decimal = Field(
        Decimal("3"), description="Weighted score (1–5) at or above which an axis of the screening matrix is high."
    )
    potential_growth: Ratio = Field(
        Decimal("0.20"),
        description="Year-on-year growth at or above which an account not in class A is a potential key account.",
    )
    stars: StarSettings = Field(default_factory=StarSettings, description="Star rating cut-offs.")
    cross_region_alert: Ratio = Field(
        Decimal("0.20"),
        description="Share of revenue delivered outside the home region above which an account is flagged cross-region.",
    )
    declining_below: Ratio = Field(
        Decimal("-0.10"), description="Year-on-year growth below which an account is flagged as declining."
    )

    @model_validator(mode="after")
    def _sane(self) -> ClassifySettings:
        if not 0 <= self.loyalty_threshold <= 1:
            raise ValueError(f"loyalty_threshold must be a share from 0 to 1 (got {self.loyalty_threshold})")
        if not 1 <= self.matrix_threshold <= 5:
            raise ValueError(f"matrix_threshold must be a score from 1 to 5 (got {self.matrix_threshold})")
        if not 0 <= self.cross_region_alert < 1:
            raise ValueError(f"cross_region_alert must be a share from 0 to below 1 (got {self.cross_region_alert})")
        if not self.declining_below < 0:
            raise ValueError(f"declining_below must be a negative growth (got {self.declining_below})")
        if not self.potential_growth > 0:
            raise ValueError(f"potential_growth must be above 0 (got {self.potential_growth})")
        if self.value_threshold != "median" and Decimal(self.value_threshold) < 0:
            raise ValueError(f"value_threshold must be 'median' or an amount ≥ 0 (got {self.value_threshold})")
        return self


class CheckSettings(Strict):
    levels: dict[str, Literal["error", "warning", "info", "off"]] = Field(
        default_factory=dict,
        description="Re-level or switch off `kam check` rules by code (`kam check --list-rules` lists them).",
    )
    achieved_tolerance: Ratio = Field(
        Decimal("0.01"),
        ge=0,
        description="Relative difference tolerated between a goal's reported `achieved` and the ledger.",
    )

    @field_validator("levels")
    @classmethod
    def _known_rules(cls, levels: dict[str, str]) -> dict[str, str]:
        import difflib

        from workbench.check import RULES

        codes = [r.code for r in RULES]
        unknown = [code for code in levels if code not in codes]
        if unknown:
            parts = []
            for code in unknown:
                close = difflib.get_close_matches(code, codes, n=1, cutoff=0.6)
                parts.append(f"`{code}`" + (f" (did you mean `{close[0]}`?)" if close else ""))
            raise ValueError(
                f"unknown rule code {', '.join(parts)}; `kam check --list-rules` lists the {len(codes)} rules"
            )
        return levels


class Branding(Strict):
    folder: str | None = Field(
        None,
        description="Folder inside the portfolio folder (a relative path without `..`) with template overrides, logo.svg/logo.png and colours.css (palette colours as custom properties such as `--primary: #1f5f8b`, used by tables and charts alike).",
    )
    author: ShortText | None = Field(None, description="PDF author metadata; defaults to the company.")

    @field_validator("folder")
    @classmethod
    def _inside_the_portfolio(cls, value: str | None) -> str | None:
        if value is None:
            return None
        path = PurePosixPath(value.replace("\\", "/"))
        if not value.strip() or path.is_absolute() or ":" in value or ".." in path.parts or path == PurePosixPath("."):
            raise PydanticCustomError(
                "branding-outside",
                "`{folder}` is not a folder inside the portfolio folder; give a relative path such as `branding`",
                {"folder": value},
            )
        return value


class Settings(Strict):
    company: ShortText = Field(description="Company name shown on booklets.")
    fiscal_year: int = Field(ge=2000, le=2100, description="Fiscal year of the portfolio's plans.")
    currency: str = Field("CNY", pattern=r"^[A-Z]{3}$", description="ISO currency code of every amount.")
    language: Language = Field(Language.ZH, description="Default language for portfolio outputs: zh or en.")
    as_of: Day = Field(description="The as-of date of every computation (no hidden clock reads).")
    fiscal_year_start_month: int = Field(1, ge=1, le=12, description="Month the fiscal year starts.")
    product_lines: list[ShortText] = Field(
        default_factory=list,
        description="All product lines we sell (for penetration); empty = those seen in the ledger.",
    )
    price_list: list[GuidelinePrice] = Field(default_factory=list, description="Guideline resale prices per SKU.")
    ledger: LedgerSettings = Field(
        default_factory=LedgerSettings, description="Transaction workbooks and how to read them."
    )
    credit: CreditSettings = Field(default_factory=CreditSettings, description="Receivables aging and credit control.")
    inventory: InventorySettings = Field(default_factory=InventorySettings, description="Dealer inventory band.")
    prices: PriceSettings = Field(default_factory=PriceSettings, description="Price discipline thresholds.")
    activity: ActivitySettings = Field(default_factory=ActivitySettings, description="Customer activity rate.")
    classify: ClassifySettings = Field(default_factory=ClassifySettings, description="Classification thresholds.")
    checks: CheckSettings = Field(default_factory=CheckSettings, description="`kam check` rule levels.")
    branding: Branding = Field(default_factory=Branding, description="Company templates, logo and colours.")
    notes: Text | None = Field(None, description="Free notes.")

    def fiscal_period(self) -> tuple[dt.date, dt.date]:
        """First and last day of the fiscal year."""
        m = self.fiscal_year_start_month
        start = dt.date(self.fiscal_year if m == 1 else self.fiscal_year - 1, m, 1)
        nxt = dt.date(start.year + 1, m, 1)
        return start, nxt - dt.timedelta(days=1)


def settings_path(portfolio: Path) -> Path:
    return portfolio / SETTINGS_FILE
