"""Header fields and title: values compared as values, not strings.

25-Aug-2024 equals 25-août-2024, 11:59:00 PM equals 23:59:00, 8,754.21 equals 8 754,21,
COSMIC TOP SECRET equals COSMIC TRÈS SECRET. Parsing lives in vnlint.values (CLDR data and babel).
"""

from __future__ import annotations

from vnlint import values as V
from vnlint.engine import Context, rule
from vnlint.model import FieldPair, Hit, Place, TitlePair

_LABEL = {
    "location": "primary location",
    "body": "NATO body",
    "schedule": "schedule",
    "deadline": "application deadline",
    "salary": "salary",
    "grade": "grade",
    "clearance": "clearance level",
}


def _pair_hit(pair: FieldPair, message: str) -> Hit:
    """A finding on the French value, pointing back at the English one."""
    return Hit(pair.fr.place, message, related=(pair.en.place,), section="header")


@rule("field-missing")
def field_missing(pair: FieldPair, ctx: Context):
    """A header field is present on one side only.

    Why: the header is what candidates read first; a deadline or clearance given in English
    but not in French (or the reverse) leaves half the readers without it.
    Bad: the clearance is given in English only.
        EN: Clearance Level: NATO SECRET
        FR: (none)
    Good: every header field on both sides.
        EN: Clearance Level: NATO SECRET
        FR: Niveau de l'habilitation de sécurité : NATO SECRET
    """
    notice = ctx.notice
    if notice.en is None or notice.fr is None or pair.aligned:
        return
    present, lang, sep, side = (
        (pair.en, "fr", ":", "French") if pair.en is not None else (pair.fr, "en", " :", "English")
    )
    half = notice.fr if lang == "fr" else notice.en
    where = half.title.place if half.title else half.place
    if half.fields:
        where = max(half.fields.values(), key=lambda f: f.block.line).place
    yield Hit(
        Place(where.line, where.line, lang),
        f"header field {_LABEL.get(pair.key, pair.key)!r} ({present.label}{sep} {present.value}) "
        f"is missing from the {side} header",
        related=(present.place,),
        section="header",
    )


def _both(pair: FieldPair, parser, key: str):
    """Parsed EN and FR values of field `key` (None for another field or a field on one side only)."""
    if pair.key != key or not pair.aligned:
        return None
    return parser(pair.en.value, "en"), parser(pair.fr.value, "fr")


def _compare(pair: FieldPair, key: str, parse, differs, message):
    """One hit on the French value when both sides parse and `differs(en, fr)` holds."""
    vals = _both(pair, parse, key)
    if not vals or None in vals:
        return
    en, fr = vals
    if differs(en, fr):
        yield _pair_hit(pair, message(en, fr))


@rule("field-unreadable")
def field_unreadable(pair: FieldPair, ctx: Context):
    """A header value cannot be read as what its label announces (a date, an amount, a grade...).

    Why: a value vnlint cannot parse cannot be compared; it is often a typo ("31-Fev-2025",
    "8,754.21.00") that a candidate would stumble on too.
    Bad: a date that does not exist in the English header.
        EN: Application Deadline: 31-Fev-2026
        FR: Date de retrait : 28-févr.-2026
    Good: a real date.
        EN: Application Deadline: 28-Feb-2026
        FR: Date de retrait : 28-févr.-2026
    """
    parsers = {
        "deadline": lambda v, lang: V.parse_deadline(v, lang),
        "salary": lambda v, lang: V.parse_money(v, lang),
        "grade": lambda v, lang: V.parse_grade(v),
        "clearance": lambda v, lang: V.parse_clearance(v),
        "schedule": lambda v, lang: V.parse_schedule(v),
    }
    parser = parsers.get(pair.key)
    if parser is None or not pair.aligned:
        return
    en, fr = parser(pair.en.value, "en"), parser(pair.fr.value, "fr")
    if en is None and fr is not None:
        yield Hit(
            pair.en.place,
            f"cannot read the English {_LABEL[pair.key]} {pair.en.value!r}",
            related=(pair.fr.place,),
            section="header",
        )
    if fr is None and en is not None:
        yield Hit(
            pair.fr.place,
            f"cannot read the French {_LABEL[pair.key]} {pair.fr.value!r}",
            related=(pair.en.place,),
            section="header",
        )


@rule("deadline-date-mismatch")
def deadline_date_mismatch(pair: FieldPair, ctx: Context):
    """The application deadline's date differs between English and French.

    Why: candidates apply by the date in their language; a one-day difference closes the
    competition early for half of them.
    Bad: the French deadline is one day later.
        EN: Application Deadline: 12-Mar-2026, 11:59:00 PM
        FR: Date de retrait : 13-mars-2026, 23:59:00
    Good: the same date in both languages.
        EN: Application Deadline: 12-Mar-2026, 11:59:00 PM
        FR: Date de retrait : 12-mars-2026, 23:59:00
    """
    yield from _compare(
        pair,
        "deadline",
        V.parse_deadline,
        lambda en, fr: en.date != fr.date,
        lambda en, fr: f"deadline date differs: EN {en.date:%d %b %Y} vs FR {fr.date:%d %b %Y}",
    )


@rule("deadline-time-mismatch")
def deadline_time_mismatch(pair: FieldPair, ctx: Context):
    """The application deadline's time (or time zone) differs, or is given on one side only.

    Why: 11:59 PM in English and 12:00 in French are half a day apart.
    Bad: 11:59 PM in English, 11:59 (in the morning) in French.
        EN: Application Deadline: 27-Apr-2026, 11:59:00 PM
        FR: Date de retrait : 27-avr.-2026, 11:59:00
    Good: the same time, on the 24-hour clock in French.
        EN: Application Deadline: 27-Apr-2026, 11:59:00 PM
        FR: Date de retrait : 27-avr.-2026, 23:59:00
    """
    vals = _both(pair, V.parse_deadline, "deadline")
    if not vals or None in vals:
        return
    en, fr = vals
    if en.time != fr.time:

        def t(x):
            return x.time.strftime("%H:%M") if x.time else "no time"

        yield _pair_hit(pair, f"deadline time differs: EN {t(en)} vs FR {t(fr)}")
    elif en.tz and fr.tz and en.tz != fr.tz:
        yield _pair_hit(pair, f"deadline time zone differs: EN {en.tz} vs FR {fr.tz}")


@rule("month-in-wrong-language")
def month_in_wrong_language(pair: FieldPair, ctx: Context):
    """A date in the French header uses an English month name (or the reverse).

    Why: "25-Aug-2024" in the French notice is readable but untranslated, and a sign the
    field was pasted rather than translated.
    Bad: the French header writes the month in English.
        EN: Application Deadline: 25-Aug-2026, 11:59:00 PM
        FR: Date de retrait : 25-Aug-2026, 23:59:00
    Good: the month in French.
        EN: Application Deadline: 25-Aug-2026, 11:59:00 PM
        FR: Date de retrait : 25-août-2026, 23:59:00
    """
    if pair.key != "deadline":
        return
    for f, lang in ((pair.fr, "fr"), (pair.en, "en")):
        if f is None:
            continue
        written = V.date_month_language(f.value)
        if written is not None and written != lang:
            other = pair.en if lang == "fr" else pair.fr
            yield Hit(
                f.place,
                f"the {'French' if lang == 'fr' else 'English'} deadline "
                f"{f.value!r} writes the month in {'English' if written == 'en' else 'French'}",
                related=(other.place,) if other else (),
                section="header",
                fix=_month_fix(ctx.notice, f, lang),
            )


def _month_fix(notice, f, lang: str):
    """The month name of the first date of the field, in the field's language and in the same form
    (abbreviated "Aug" -> "août", wide "August" -> "août"; CLDR's names)."""
    from vnlint.fix import edit, make_fix

    text = f.block.clean
    dates = V.find_dates(text)
    if notice is None or not dates or not dates[0].month:
        return None
    token = dates[0].month
    start = text.find(token, dates[0].span[0])
    num = V._month_number(token)
    if start < 0 or num is None:
        return None
    other = "en" if lang == "fr" else "fr"
    wide = token.strip(".").casefold() == V.month_names("wide", "format", other)[num].casefold()
    new = V.month_names("wide" if wide else "abbreviated", "format", lang)[num]
    if lang == "en":
        new = new.rstrip(".")
    new = new.upper() if token.isupper() and len(token) > 1 else new
    end = start + len(token)
    if new.endswith(".") and text[end : end + 1] == ".":
        new = new[:-1]
    return make_fix(
        [edit(notice, f.block, start, end, new)], safe=True, description=f"write the month {token} as {new}"
    )


@rule("salary-amount-mismatch")
def salary_amount_mismatch(pair: FieldPair, ctx: Context):
    """The salary amount differs (compared as a number: 8,754.21 equals 8 754,21).

    Why: the salary is a contractual figure; a transposed digit misinforms candidates.
    Bad: two digits transposed in the French amount.
        EN: Salary (Pay Basis): 7,540.44Euro (EUR) Monthly
        FR: Salaire (Base de paie) : 7 450,44Euro (EUR) Mensuelle
    Good: the same amount, written the French way.
        EN: Salary (Pay Basis): 7,540.44Euro (EUR) Monthly
        FR: Salaire (Base de paie) : 7 540,44Euro (EUR) Mensuelle
    """
    yield from _compare(
        pair,
        "salary",
        V.parse_money,
        lambda en, fr: en.amount != fr.amount,
        lambda en, fr: f"salary differs: EN {en.amount:,} vs FR {fr.amount:,}",
    )


@rule("salary-currency-mismatch")
def salary_currency_mismatch(pair: FieldPair, ctx: Context):
    """The salary's currency differs.

    Why: EUR and USD salaries are not the same offer.
    Bad: euros in English, dollars in French.
        EN: Salary (Pay Basis): 5,043.00Euro (EUR) Monthly
        FR: Salaire (Base de paie) : 5 043,00 USD Mensuelle
    Good: the same currency.
        EN: Salary (Pay Basis): 5,043.00Euro (EUR) Monthly
        FR: Salaire (Base de paie) : 5 043,00Euro (EUR) Mensuelle
    """
    yield from _compare(
        pair,
        "salary",
        V.parse_money,
        lambda en, fr: en.currency and fr.currency and en.currency != fr.currency,
        lambda en, fr: f"salary currency differs: EN {en.currency} vs FR {fr.currency}",
    )


@rule("salary-period-mismatch")
def salary_period_mismatch(pair: FieldPair, ctx: Context):
    """The salary's pay period differs (monthly vs yearly...).

    Why: a monthly amount presented as yearly divides the offer by twelve.
    Bad: monthly in English, yearly in French.
        EN: Salary (Pay Basis): 8,754.21Euro (EUR) Monthly
        FR: Salaire (Base de paie) : 8 754,21Euro (EUR) Annuelle
    Good: monthly on both sides.
        EN: Salary (Pay Basis): 8,754.21Euro (EUR) Monthly
        FR: Salaire (Base de paie) : 8 754,21Euro (EUR) Mensuelle
    """
    yield from _compare(
        pair,
        "salary",
        V.parse_money,
        lambda en, fr: en.period and fr.period and en.period != fr.period,
        lambda en, fr: f"salary period differs: EN per {en.period} vs FR per {fr.period}",
    )


@rule("grade-mismatch")
def grade_mismatch(pair: FieldPair, ctx: Context):
    """The grade differs (G17 vs G18, G11-G15 vs G11-G13).

    Why: the grade sets the salary and who may apply.
    Bad: G17 in English, G18 in French.
        EN: Grade: NATO Grade G17
        FR: Grade : NATO Grade G18
    Good: the same grade.
        EN: Grade: NATO Grade G17
        FR: Grade : NATO Grade G17
    """
    yield from _compare(
        pair,
        "grade",
        lambda v, lang: V.parse_grade(v),
        lambda en, fr: en.normalized != fr.normalized,
        lambda en, fr: f"grade differs: EN {en} vs FR {fr}",
    )


@rule("clearance-mismatch")
def clearance_mismatch(pair: FieldPair, ctx: Context):
    """The security clearance level differs (COSMIC TOP SECRET equals COSMIC TRÈS SECRET).

    Why: the clearance decides who can be appointed; NS against CTS is a different post.
    Bad: NATO SECRET in English, COSMIC TOP SECRET in French.
        EN: Clearance Level: NS
        FR: Niveau de l'habilitation de sécurité : CTS
    Good: the same level, abbreviated in English and spelt out in French.
        EN: Clearance Level: CTS/A
        FR: Niveau de l'habilitation de sécurité : COSMIC TRÈS SECRET/ATOMAL
    """
    yield from _compare(
        pair,
        "clearance",
        lambda v, lang: V.parse_clearance(v),
        lambda en, fr: (en.level, en.suffix) != (fr.level, fr.suffix),
        lambda en, fr: f"clearance differs: EN {en} vs FR {fr}",
    )


@rule("location-mismatch")
def location_mismatch(pair: FieldPair, ctx: Context):
    """The primary location differs (Belgium-Brussels equals Belgique-Bruxelles).

    Why: the duty station is part of the offer.
    Bad: Mons in English, Brussels in French.
        EN: Primary Location: Belgium-Mons
        FR: Emplacement principal : Belgique-Bruxelles
    Good: the same place, named in each language.
        EN: Primary Location: Belgium-Mons
        FR: Emplacement principal : Belgique-Mons
    """
    yield from _compare(
        pair,
        "location",
        lambda v, lang: V.parse_location(v),
        lambda en, fr: (
            en.city and fr.city and en.city != fr.city or en.country and fr.country and en.country != fr.country
        ),
        lambda en, fr: f"location differs: EN {pair.en.value!r} vs FR {pair.fr.value!r}",
    )


@rule("schedule-mismatch")
def schedule_mismatch(pair: FieldPair, ctx: Context):
    """The schedule differs (Full-time equals Temps plein).

    Why: full-time and part-time posts are different offers.
    Bad: part-time in English, full-time in French.
        EN: Schedule: Part-time
        FR: Horaire : Temps plein
    Good: part-time on both sides.
        EN: Schedule: Part-time
        FR: Horaire : Temps partiel
    """
    yield from _compare(
        pair,
        "schedule",
        lambda v, lang: V.parse_schedule(v),
        lambda en, fr: en != fr,
        lambda en, fr: f"schedule differs: EN {en} vs FR {fr}",
    )


@rule("body-mismatch")
def body_mismatch(pair: FieldPair, ctx: Context):
    """The NATO body differs (NATO International Staff (NATO IS) equals OTAN SI).

    Why: the employing body (IS, IMS, an Agency) is part of the offer.
    Bad: the International Staff in English, the International Military Staff in French.
        EN: NATO Body: NATO International Staff (NATO IS)
        FR: Organisation : EMI
    Good: the same body, named in French.
        EN: NATO Body: NATO International Staff (NATO IS)
        FR: Organisation : OTAN SI
    """
    if pair.key != "body" or not pair.aligned:
        return
    bodies = ctx.knowledge("bodies").get("bodies", {})
    en, fr = _match_body(pair.en.value, bodies), _match_body(pair.fr.value, bodies)
    if en and fr and en != fr:
        yield _pair_hit(pair, f"NATO body differs: EN {pair.en.value!r} vs FR {pair.fr.value!r}")


def _match_body(value: str, bodies: dict) -> str | None:
    """The canonical body a header value names: the longest alias found in it, as a whole word."""
    import re

    from vnlint.knowledge import fold

    text = fold(value)
    best, best_len = None, 0
    for key, aliases in bodies.items():
        for alias in aliases:
            a = fold(alias)
            if len(a) > best_len and re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", text):
                best, best_len = key, len(a)
    return best


# ------------------------------------------------------------------------- title


def _titles(pair: TitlePair):
    return V.parse_title(pair.en.clean), V.parse_title(pair.fr.clean)


@rule("requisition-mismatch")
def requisition_mismatch(pair: TitlePair, ctx: Context):
    """The requisition number in the title differs, or is given on one side only.

    Why: the requisition number identifies the competition in the e-recruitment system.
    Bad: two digits swapped in the French requisition number.
        EN: Officer, Maritime Planning (260312)
        FR: Administratrice/Administrateur (planification maritime) (260321)
    Good: the same number on both titles.
        EN: Officer, Maritime Planning (260312)
        FR: Administratrice/Administrateur (planification maritime) (260312)
    """
    en, fr = _titles(pair)
    if en is None or fr is None:
        return
    if en.requisition and fr.requisition and en.requisition != fr.requisition:
        yield Hit(
            pair.fr.place,
            f"requisition number differs: EN {en.requisition} vs FR {fr.requisition}",
            related=(pair.en.place,),
            section="title",
        )
    elif bool(en.requisition) != bool(fr.requisition):
        side, other = (pair.fr, pair.en) if en.requisition else (pair.en, pair.fr)
        num = en.requisition or fr.requisition
        yield Hit(
            side.place, f"requisition number {num} is given on one side only", related=(other.place,), section="title"
        )


@rule("post-count-mismatch")
def post_count_mismatch(pair: TitlePair, ctx: Context):
    """The number of posts in the title differs ("(3 posts)" vs "(2 postes)"), or is on one side only.

    Why: candidates weigh their chances by the number of posts.
    Bad: three posts in English, two in French.
        EN: Officer, Budget (3 posts) (260400)
        FR: Administratrice/Administrateur (budget) (2 postes) (260400)
    Good: three posts on both sides.
        EN: Officer, Budget (3 posts) (260400)
        FR: Administratrice/Administrateur (budget) (3 postes) (260400)
    """
    en, fr = _titles(pair)
    if en is None or fr is None:
        return
    en_n = en.posts if en.posts is not None else (sum(en.per_grade.values()) or None)
    fr_n = fr.posts if fr.posts is not None else (sum(fr.per_grade.values()) or None)
    if en_n is not None and fr_n is not None and en_n != fr_n:
        yield Hit(
            pair.fr.place, f"number of posts differs: EN {en_n} vs FR {fr_n}", related=(pair.en.place,), section="title"
        )
    elif (en_n is None) != (fr_n is None) and max(en_n or 0, fr_n or 0) > 1:
        side, other = (pair.fr, pair.en) if en_n else (pair.en, pair.fr)
        yield Hit(
            side.place,
            f"the number of posts ({en_n or fr_n}) is given on one side only",
            related=(other.place,),
            section="title",
        )


@rule("posts-per-grade-mismatch")
def posts_per_grade_mismatch(pair: TitlePair, ctx: Context):
    """The split of posts per grade or per funding line differs, or is given on one side only.

    Why: "(1 post G15, 2 posts G17)" tells candidates which grade they apply for.
    Bad: the split per funding line is given in French only.
        EN: Officer, Capability Planning (3 posts) (260410)
        FR: Administratrice/Administrateur (planification des capacités) (CAP (1 poste) ou DCB (2 postes)) (260410)
    Good: the same split on both sides.
        EN: Officer, Capability Planning (CAP (1 post) or DCB (2 posts)) (260410)
        FR: Administratrice/Administrateur (planification des capacités) (CAP (1 poste) ou DCB (2 postes)) (260410)
    """
    en, fr = _titles(pair)
    if en is None or fr is None:
        return
    if en.per_grade and fr.per_grade and en.per_grade != fr.per_grade:
        yield Hit(
            pair.fr.place,
            f"split of posts differs: EN {_split(en.per_grade)} vs FR {_split(fr.per_grade)}",
            related=(pair.en.place,),
            section="title",
        )
    elif bool(en.per_grade) != bool(fr.per_grade):
        side, other, split = (pair.fr, pair.en, en.per_grade) if en.per_grade else (pair.en, pair.fr, fr.per_grade)
        yield Hit(
            side.place,
            f"the split of posts ({_split(split)}) is given on one side only",
            related=(other.place,),
            section="title",
        )


def _split(d: dict) -> str:
    return ", ".join(f"{n} {k}" for k, n in sorted(d.items()))
