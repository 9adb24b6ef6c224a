"""Structure: reading, splitting and alignment failures.

Most of these are found while the notice is read and split (vnlint.split records them as
problems); the rules here report them, so each has a code, a severity and documentation.
"""

from __future__ import annotations

from vnlint.engine import Context, rule
from vnlint.model import Hit, Notice, Place, SectionPair


def _problems(notice: Notice, name: str):
    for p in notice.problems:
        if p.rule == name:
            yield Hit(p.place, p.message, p.related, section=p.section)


@rule("not-text", engine=True)
def not_text(doc: Notice, ctx: Context):
    """The file is binary (an image, an archive, NUL bytes), not a text notice.

    Why: a binary file in a folder of notices is usually a mistake (a scan saved as .txt, a
    corrupted export); vnlint cannot check it and says so rather than guessing.
    Bad: a PNG renamed notice.txt.
    Good: the notice exported as text (UTF-8, UTF-16 or cp1252), .docx or .pdf.
    Tested: tests/test_reliability.py::test_each_bad_input_alone,
        tests/test_docs_input.py::test_unreadable_documents_through_the_cli
    """
    return ()


@rule("file-too-large", engine=True)
def file_too_large(doc: Notice, ctx: Context):
    """The file is larger than max-file-size (5 MB by default) and was not read.

    Why: a vacancy notice is a few tens of kilobytes; a file of megabytes is a log, a dump or
    a concatenation of many notices, and reading it would stall a pre-commit hook.
    Bad: a 50 MB export of a whole recruitment campaign in one .txt file.
    Good: one notice per file; or raise `max-file-size` in the configuration.
    Tested: tests/test_reliability.py::test_big_file_is_not_read,
        tests/test_config.py::test_max_file_size_flag_and_config
    """
    return ()


@rule("internal-error", engine=True)
def internal_error(doc: Notice, ctx: Context):
    """A check failed on this notice; the other checks still ran.

    Why: a linter in a hook must never stop with a traceback; the failure is reported as a
    finding so that it is seen and can be reported as a bug, and the run goes on.
    Bad: any VN199 finding (please report it with the notice that causes it).
    Good: no VN199 finding.
    Tested: tests/test_rule_docs.py::test_a_failing_check_is_reported_as_internal_error
    """
    return ()


@rule("unused-suppression", engine=True)
def unused_suppression(doc: Notice, ctx: Context):
    """An inline suppression (<!-- vnlint: disable=CODE -->) silences nothing.

    Why: stale suppressions hide future defects at that place; remove them once fixed.
    Bad: `<!-- vnlint: disable=VN300 -->` above a paragraph that is translated.
    Good: a suppression only where a finding is accepted.
    Tested: tests/test_suppress_baseline.py::test_unused_suppression_is_vn117_and_can_be_deselected
    """
    return ()


@rule("empty-notice")
def empty_notice(doc: Notice, ctx: Context):
    """The file is empty or holds only whitespace.

    Why: an empty draft committed by mistake should not pass silently as "no findings".
    Bad: a file holding only blank lines (both halves deleted).
        At: half
        EN: (none)
        FR: (none)
    Good: the notice text, EN then FR.
        Example: file examples/clean_notice.txt
    """
    yield from _problems(doc, "empty-notice")


@rule("no-structure")
def no_structure(doc: Notice, ctx: Context):
    """No vacancy-notice structure: no header fields, no numbered sections.

    Why: vnlint compares the two halves of a notice; ordinary prose has neither, so nothing
    can be checked, and a silent pass would be misleading.
    Bad: an essay saved in the notices folder.
        Example: file tests/data/notices/no_structure.txt
    Good: a notice with "Primary Location: ..." header fields and numbered sections.
        Example: file examples/clean_notice.txt
    """
    yield from _problems(doc, "no-structure")


@rule("french-half-missing")
def french_half_missing(doc: Notice, ctx: Context):
    """The notice has an English half but no French half.

    Why: NATO vacancy notices are published in both official languages; an EN-only file
    usually means the translation was not pasted in.
    Bad: the English notice alone.
        At: half
        FR: (none)
    Good: the English notice followed by "Administratrice/Administrateur ... Emplacement principal : ...".
        Example: file examples/clean_notice.txt
    """
    yield from _problems(doc, "french-half-missing")


@rule("english-half-missing")
def english_half_missing(doc: Notice, ctx: Context):
    """The notice has a French half but no English half.

    Why: the English text is the reference against which the translation is checked.
    Bad: only "Emplacement principal : ..." and French sections.
        At: half
        EN: (none)
    Good: the English notice, then its French translation.
        Example: file examples/clean_notice.txt
    """
    yield from _problems(doc, "english-half-missing")


@rule("halves-out-of-order")
def halves_out_of_order(doc: Notice, ctx: Context):
    """The French half comes before the English half.

    Why: the publication template puts English first; a reversed file is usually a paste error.
    vnlint still pairs and checks the halves.
    Bad: "Emplacement principal : ..." near the top, "Primary Location: ..." after the French sections.
        Example: file tests/data/notices/fr_first.txt
    Good: English first, then French.
        Example: file examples/clean_notice.txt
    """
    yield from _problems(doc, "halves-out-of-order")


@rule("multiple-notices")
def multiple_notices(doc: Notice, ctx: Context):
    """The file holds more than one notice (a second EN or FR header block).

    Why: two notices in one file cannot be paired reliably; only the first EN/FR pair is checked.
    Bad: two vacancy notices pasted one after the other.
        Example: file tests/data/notices/two_notices.txt
    Good: one notice per file.
        Example: file examples/clean_notice.txt
    """
    yield from _problems(doc, "multiple-notices")


@rule("header-missing")
def header_missing(doc: Notice, ctx: Context):
    """A half has no header block (Primary Location, Grade, ... / Emplacement principal, ...).

    Why: the header carries the values candidates rely on (deadline, grade, salary); a half
    without it cannot be compared field by field.
    Bad: the French half starts directly with its description and "1. RÉSUMÉ".
        At: header fields
        FR: (none)
    Good: "Emplacement principal : ...", "Date de retrait : ...", ... before the sections.
        Example: file examples/clean_notice.txt
    """
    yield from _problems(doc, "header-missing")


@rule("title-missing")
def title_missing(doc: Notice, ctx: Context):
    """No post title above a half's header block.

    Why: the title carries the post name, the number of posts and the requisition number.
    Bad: the English header block directly after the banner.
        At: title
        EN: (none)
    Good: a title above each header block.
        At: title
        EN: Officer, Maritime Planning (2 posts) (260311)
        FR: Administratrice/Administrateur (planification maritime) (2 postes) (260311)
    """
    yield from _problems(doc, "title-missing")


@rule("stray-text")
def stray_text(doc: Notice, ctx: Context):
    """Text outside the notice: above the English title, or after the end of a half.

    Why: drafts carry marks that are not part of the notice ("DRAFT v2", "Reviewed by: ...", a
    title pasted twice, a signature or a comment to the translator under the French half). They
    are read apart, so they never shift the halves or turn into missing fields and paragraphs;
    one finding, as information, lists them so they are removed before publication.
    Bad: a draft mark above the English title.
        At: title
        EN: DRAFT v2
        EN: Senior Officer, ICT Service Governance (260845)
    Good: the notice starts with its title (after the letterhead).
        At: title
        EN: Senior Officer, ICT Service Governance (260845)
    """
    yield from _problems(doc, "stray-text")


@rule("field-repeated")
def field_repeated(doc: Notice, ctx: Context):
    """A header field is given twice on one side.

    Why: two deadlines or two grades in one header leave the reader to guess which one holds.
    Bad: "Grade: G15" and, on the next line, "Grade: G17".
        At: header
        EN: Grade: NATO Grade G15
        EN: Grade: NATO Grade G17
    Good: each header field once.
        At: header
        EN: Grade: NATO Grade G15
        FR: Grade : NATO Grade G15
    """
    yield from _problems(doc, "field-repeated")


@rule("section-numbering")
def section_numbering(doc: Notice, ctx: Context):
    """Section numbers out of order, repeated, or not starting at 1 on one side.

    Why: a skipped or repeated number usually means a section was dropped or pasted twice.
    Bad: "1. SUMMARY", "2. QUALIFICATIONS ...", "4. INTERRELATIONSHIPS" (heading 3 deleted).
        At: heading 3
        EN: (none)
    Good: 1, 2, 3, ... in order on both sides.
        At: heading 3
        EN: 3. MAIN ACCOUNTABILITIES
        FR: 3. RESPONSABILITÉS PRINCIPALES
    """
    yield from _problems(doc, "section-numbering")


@rule("section-missing")
def section_missing(pair: SectionPair, ctx: Context):
    """A numbered section is present on one side only.

    Why: a whole section (its accountabilities, its contract terms) missing from the
    translation is the largest omission a notice can have.
    Bad: EN "6. CONTRACT" with no "6. CONTRAT" in the French half (its heading deleted).
        At: heading 6
        FR: (none)
    Good: the same sections on both sides.
        At: heading 6
        EN: 6. CONTRACT
        FR: 6. CONTRAT
    """
    if pair.aligned:
        return
    present = pair.en or pair.fr
    if present is None or present.heading is None:
        return
    missing_lang = "fr" if pair.en is not None else "en"
    where = _insertion_point(ctx, pair, missing_lang)
    yield Hit(
        where,
        f"section {present.key} ({present.title}) has no counterpart in the "
        f"{'French' if missing_lang == 'fr' else 'English'} half",
        related=(present.place,),
        section=present.key,
    )


def _insertion_point(ctx: Context, pair: SectionPair, lang: str) -> Place:
    """Where a missing section would go on the other side: after the previous paired section."""
    prev = None
    for sp in ctx.alignment.sections:
        if sp is pair:
            break
        s = sp.fr if lang == "fr" else sp.en
        if s is not None:
            prev = s
    half = ctx.notice.fr if lang == "fr" else ctx.notice.en
    if prev is not None:
        p = prev.place
        return Place(p.end_line, p.end_line, lang)
    return Place(half.line, half.line, lang) if half else Place(1, 1, lang)


@rule("section-heading-mismatch")
def section_heading_mismatch(pair: SectionPair, ctx: Context):
    """Paired sections whose headings name different template sections.

    Why: "4. COMPETENCIES" facing "4. CONTRAT" means sections were reordered or one is
    missing and the numbering hides it.
    Bad: EN "5. COMPETENCIES" paired with FR "5. CONTRAT".
        At: heading 5
        EN: 5. COMPETENCIES
        FR: 5. CONTRAT
    Good: EN "5. COMPETENCIES" with FR "5. COMPÉTENCES".
        At: heading 5
        EN: 5. COMPETENCIES
        FR: 5. COMPÉTENCES
    """
    from vnlint.structure_align import canonical_section

    if not pair.aligned or pair.en.heading is None or pair.fr.heading is None:
        return
    ce, cf = canonical_section(pair.en), canonical_section(pair.fr)
    if ce and cf and ce != cf:
        yield Hit(
            pair.fr.heading.place,
            f"section {pair.fr.key} is headed {pair.fr.title!r} but faces EN {pair.en.title!r}",
            related=(pair.en.heading.place,),
            section=pair.en.key,
        )


@rule("bullet-count-mismatch")
def bullet_count_mismatch(pair: SectionPair, ctx: Context):
    """Paired sections with a different number of bullets.

    Why: a requirement or competency dropped from a list changes what is asked of candidates.
    Bad: two ESSENTIAL bullets in English, one in French.
        EN: - hold a university degree in logistics or a related discipline;
        EN: - have at least two years of experience in fleet management;
        FR: - être titulaire d'un diplôme universitaire en logistique ou dans une discipline apparentée ;
    Good: the same bullets on both sides. (Run-together bullets joined by "\\" are split first.)
        EN: - hold a university degree in logistics or a related discipline;
        EN: - have at least two years of experience in fleet management;
        FR: - être titulaire d'un diplôme universitaire en logistique ou dans une discipline apparentée ;
        FR: - avoir au moins deux ans d'expérience dans la gestion de parcs de véhicules ;
    """
    if not pair.aligned:
        return
    en_b, fr_b = pair.en.bullets(), pair.fr.bullets()
    if len(en_b) == len(fr_b):
        return
    # When paragraph alignment has run, the missing or extra bullet is reported precisely by
    # paragraph-missing / paragraph-extra; this rule then only speaks when those found nothing.
    if ctx.alignment.semantic:
        reported = [u for u in pair.unpaired if u.block.kind == "bullet"]
        if reported:
            return
    fr_place = Place(fr_b[0].line, fr_b[-1].end_line, "fr") if fr_b else pair.fr.place
    en_place = Place(en_b[0].line, en_b[-1].end_line, "en") if en_b else pair.en.place
    yield Hit(
        fr_place,
        f"section {pair.en.key} has {len(en_b)} bullets in English but {len(fr_b)} in French",
        related=(en_place,),
        section=pair.en.key,
    )
