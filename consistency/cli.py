"""The `hinge` command: parses arguments, calls the library, prints results.

Domain errors become one actionable line (click.ClickException), never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from .models import VERDICTS, HingeError
from .report import FORMATS as REPORT_FORMATS  # light: jinja2 and matplotlib load on use
from .store import Store, default_db_path

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _store(ctx: click.Context) -> Store:
    try:
        return Store(ctx.obj["db"])
    except Exception as err:  # sqlite3 raises DatabaseError for a file that is not SQLite
        raise click.ClickException(
            f"{ctx.obj['db']}: cannot open as a Hinge database ({err}). "
            "Pass another file with --db or move this one away."
        ) from err


def _embedder():
    from .embed import SentenceEmbedder

    return SentenceEmbedder()


def _progress(items, label: str):
    items = list(items)
    if not sys.stderr.isatty() or len(items) < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="file", file=sys.stderr)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="hinge")
@click.option(
    "--db",
    envvar="HINGE_DB",
    default=default_db_path,
    show_default="hinge.db",
    type=click.Path(dir_okay=False),
    help="SQLite file to use (env HINGE_DB).",
)
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """Hinge: find the promises to customers that staff procedures don't deliver.

    \b
    hinge ingest corpora/          # load campaigns and procedures
    hinge check                    # judge every promise in force
    hinge gaps                     # list what staff can't deliver
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--kind", type=click.Choice(["campaign", "procedure"]), help="What the files are.")
@click.option("--title", help="Title (default: from the file).")
@click.option("--channel", help="Channel of a campaign: email, web, print...")
@click.option("--team", help="Team a procedure is for.")
@click.option("--language", help="ISO 639-1 code (default: detected).")
@click.option("--valid-from", help="First day in force (YYYY-MM-DD).")
@click.option("--valid-until", help="Last day in force (YYYY-MM-DD).")
@click.option("--text-column", help="CSV column holding the message text.")
@click.option("--max-mb", type=float, default=50, show_default=True, help="Size limit per file.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], max_mb: float, **options: Any) -> None:
    """Read files or folders (txt, md, html, docx, pdf, csv, gold json) into the store.

    Use - to read pasted text from standard input.

    \b
    hinge ingest corpora/
    hinge ingest spring.html --kind campaign --channel web --valid-until 2026-05-31
    pbpaste | hinge ingest - --kind campaign --title "Draft email"
    """
    from . import pipeline

    store = _store(ctx)
    options = {k: v for k, v in options.items() if v is not None}
    if "-" in paths and "kind" not in options:
        raise click.ClickException("reading standard input needs --kind campaign|procedure")
    # Standard input (read_path's "-") once and first, then the files and folders.
    inputs = ["-"] * ("-" in paths) + [p for p in paths if p != "-"]
    report = pipeline.ingest_paths(
        store,
        inputs,
        progress=lambda it: _progress(it, "ingest"),
        max_bytes=int(max_mb * 1024 * 1024),
        **options,
    )
    for doc, doc_id, status in report.saved:
        click.echo(f"{status:9} #{doc_id} {doc.kind:9} {doc.title}  ({doc.source})")
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)
    for err in report.failed:
        click.echo(f"error: {err}", err=True)
    if report.failed:
        ctx.exit(1)


@cli.command()
@click.option("--all", "all_versions", is_flag=True, help="Include superseded versions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def documents(ctx: click.Context, all_versions: bool, as_json: bool) -> None:
    """List stored documents with kind, version and statement counts.

    \b
    hinge documents --all
    """
    rows = _store(ctx).documents(current_only=not all_versions)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        state = "" if r["superseded_by"] is None else f" superseded by #{r['superseded_by']}"
        click.echo(
            f"#{r['id']:<4} {r['kind']:9} v{r['version']} {r['statements']:4} statements"
            f" {r['promises']:3} promises  {r['title']}{state}"
        )
    if not rows:
        click.echo("No documents yet: hinge ingest PATH --kind campaign|procedure")


@cli.command()
@click.option("--document", "document_id", type=int, help="Only this document id.")
@click.option("--promises-only", is_flag=True, help="Only statements flagged as promises.")
@click.pass_context
def statements(ctx: click.Context, document_id: int | None, promises_only: bool) -> None:
    """Show extracted statements with promise cues and facts.

    \b
    hinge statements --document 3 --promises-only
    """
    from .facts import fact_summary
    from .models import Fact

    for s in _store(ctx).statements(document_id=document_id, promises_only=promises_only):
        mark = f"P{s['promise_score']:.2f}" if s["is_promise"] else "     "
        click.echo(f"#{s['id']:<5} {mark} {s['text']}")
        facts = fact_summary([Fact(**f) for f in s["facts"]])
        extra = ", ".join(s["cues"])
        if facts or extra:
            click.echo(f"{'':13}{facts}{'  cues: ' + extra if extra else ''}")


@cli.command()
@click.option("--today", help="Date for what is in force (YYYY-MM-DD; default today).")
@click.option("--all-campaigns", is_flag=True, help="Judge expired campaigns too.")
@click.option("--at", "at", help="Record the run at this ISO date-time (backfills, tests).")
@click.option(
    "--rejudge", is_flag=True, help="Judge every promise again, even where nothing changed."
)
@click.pass_context
def check(
    ctx: click.Context, today: str | None, all_campaigns: bool, at: str | None, rejudge: bool
) -> None:
    """Judge every promise in force against the current procedures and store a run.

    Organisations whose campaigns, procedures and decisions have not changed since the
    latest run keep its findings; only the others are judged again.

    \b
    hinge check && hinge gaps
    """
    from . import pipeline

    store = _store(ctx)
    try:
        run_id = pipeline.check(
            store,
            _embedder(),
            today=today,
            all_campaigns=all_campaigns,
            started_at=at,
            rejudge=rejudge,
        )
    except HingeError as err:
        raise click.ClickException(str(err)) from err
    run = store.run(run_id)
    click.echo(
        f"run #{run_id}: {run['promises']} promises: {run['covered']} covered,"
        f" {run['uncovered']} uncovered, {run['contradicted']} contradicted"
        f" ({run['judged']} judged, {run['promises'] - run['judged']} unchanged)"
    )


GAP_COLUMNS = ["verdict", "confidence", "campaign", "channel", "promise", "evidence", "team"]


@cli.command()
@click.option("--verdict", type=click.Choice(VERDICTS))
@click.option("--campaign", help="Campaign title contains this text.")
@click.option("--team", help="Team of the best evidence contains this text.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.pass_context
def gaps(ctx: click.Context, verdict: str | None, campaign: str | None, team, fmt: str) -> None:
    """List the gaps of the latest run: promises uncovered or contradicted.

    \b
    hinge gaps --verdict contradicted --format csv > contradictions.csv
    """
    from .report import gap_rows

    store = _store(ctx)
    run = store.latest_run()
    if run is None:
        raise click.ClickException("no run yet: run `hinge check` first")
    rows = gap_rows(store, run["id"], verdict=verdict, campaign=campaign, team=team)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, GAP_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        for r in rows:
            click.echo(f"{r['verdict'].upper():12} {r['confidence']:.2f}  [{r['campaign']}]")
            click.echo(f"  promise:  {r['promise']}")
            if r["evidence"]:
                click.echo(f"  evidence: {r['evidence']}  [{r['team'] or ''}]")
            for conflict in r["conflicts"]:
                click.echo(f"  conflict: {conflict}")
        click.echo(f"{len(rows)} gaps in run #{run['id']}")


@cli.command()
@click.option("--week", help="ISO week like 2026-W47, or a date in it (default: latest run's).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    help="Output format (default: from the suffix of -o, else md).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@click.option("--email", multiple=True, metavar="ADDR", help="Send to this address (repeat).")
@click.option("--smtp", envvar="HINGE_SMTP", metavar="HOST:PORT", help="SMTP server (HINGE_SMTP).")
@click.option("--starttls", is_flag=True, envvar="HINGE_SMTP_STARTTLS", help="Use STARTTLS.")
@click.option("--smtp-user", envvar="HINGE_SMTP_USER", help="Login; password: HINGE_SMTP_PASSWORD.")
@click.option(
    "--sender",
    envvar="HINGE_MAIL_FROM",
    default="hinge@localhost",
    show_default=True,
    help="From address (HINGE_MAIL_FROM).",
)
@click.option("--tz", envvar="HINGE_TZ", help="Time zone of the weeks (HINGE_TZ; default UTC).")
@click.pass_context
def report(
    ctx: click.Context,
    week: str | None,
    fmt: str | None,
    output: str | None,
    email: tuple[str, ...],
    smtp: str | None,
    starttls: bool,
    smtp_user: str | None,
    sender: str,
    tz: str | None,
) -> None:
    """Weekly gap report: what became a gap, what was fixed and how, what is still open.

    \b
    hinge check && hinge report --format html -o week.html
    hinge report --week 2026-W47 --format csv
    hinge report --email ops@example.com --smtp mail.example.com:587 --starttls
    """
    import os

    from . import mail, weekly
    from .report import render

    if email and not smtp:
        raise click.ClickException("--email needs an SMTP server: --smtp HOST:PORT or HINGE_SMTP")
    store = _store(ctx)
    try:
        zone = weekly.timezone(tz)
        data = weekly.build(store, weekly.parse_week(week, zone) if week else None, zone)
        if email:
            password = os.environ.get("HINGE_SMTP_PASSWORD")
            msg = mail.message(data, sender, email)
            mail.send(msg, smtp, starttls=starttls, user=smtp_user, password=password)
    except HingeError as err:
        raise click.ClickException(str(err)) from err
    if email:
        click.echo(f"sent the {data['week']} report to {', '.join(email)}", err=True)
    if output or not email:
        suffix = Path(output).suffix.lstrip(".").lower() if output else ""
        suffix = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
        text = render(data, fmt or (suffix if suffix in REPORT_FORMATS else "md"))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            click.echo(f"wrote the {data['week']} report to {output}", err=True)
        else:
            click.echo(text, nl=False)


@cli.command()
@click.argument("path")
@click.option("--kind", type=click.Choice(["campaign"]), default="campaign", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--organisation", help="Whose procedures to check against, when several are stored.")
@click.pass_context
def lint(ctx: click.Context, path: str, kind: str, fmt: str, organisation: str | None) -> None:
    """Pre-flight a draft campaign against stored procedures; exit 1 when it has gaps.

    Nothing is stored. Use - to read the draft from standard input.

    \b
    hinge lint spring-email.md && echo "staff can keep every promise"
    hinge lint draft.md --organisation seaside-hotel --format json
    """
    from . import ingest as reader
    from . import pipeline

    store = _store(ctx)
    try:
        (doc,) = reader.read_path(Path(path), kind=kind)[:1]  # "-": standard input
        if organisation:
            doc.organisation = organisation
        results = pipeline.lint(store, _embedder(), doc)
    except HingeError as err:
        raise click.ClickException(str(err)) from err
    gaps_found = [r for r in results if r["verdict"] != "covered"]
    if fmt == "json":
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for r in results:
            click.echo(f"{r['verdict'].upper():12} {r['text']}")
            if r["evidence"] and r["verdict"] != "uncovered":
                click.echo(f"{'':13}<- {r['evidence'][0]['text']}")
            elif r["evidence"]:
                click.echo(f"{'':13}closest: {r['evidence'][0]['text']}")
        click.echo(f"{len(results)} promises, {len(gaps_found)} gaps")
    if gaps_found:
        ctx.exit(1)


@cli.command(name="eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option(
    "--leave-one-out",
    is_flag=True,
    help="Judge each file with a calibration fitted on the other files only.",
)
def eval_(paths: tuple[str, ...], as_json: bool, leave_one_out: bool) -> None:
    """Score Hinge against gold corpora (hinge-gold/1); each file in its own fresh store.

    \b
    hinge eval corpora/*.json
    hinge eval corpora/*.json --json | jq .gaps.end_to_end.f1
    hinge eval corpora/*.json --leave-one-out   # honest figures on the bundled corpora
    """
    from .evaluate import evaluate, render

    try:
        result = evaluate([Path(p) for p in paths], _embedder(), leave_one_out=leave_one_out)
    except HingeError as err:
        raise click.ClickException(str(err)) from err
    click.echo(json.dumps(result, indent=2) if as_json else render(result))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead.")
def calibrate(paths: tuple[str, ...], output: str | None) -> None:
    """Fit the verdict thresholds on gold corpora and write the calibration file.

    \b
    hinge calibrate corpora/*.json
    """
    from .calibrate import calibrate as fit

    try:
        target = fit([Path(p) for p in paths], _embedder(), Path(output) if output else None)
    except HingeError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"wrote {target}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--all-campaigns", is_flag=True, help="Page re-checks judge expired campaigns too.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, all_campaigns: bool) -> None:
    """Serve the web page (waitress).

    \b
    hinge --db hinge.db serve --port 8080
    """
    import waitress

    from web import create_app

    app = create_app({"DATABASE": ctx.obj["db"], "CHECK_ALL_CAMPAIGNS": all_campaigns})
    click.echo(f"Hinge on http://{host}:{port}/  (database {ctx.obj['db']})")
    waitress.serve(app, host=host, port=port, threads=4)


@cli.command()
@click.option("--corpora", default="corpora", show_default=True, type=click.Path(exists=True))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Build the demo database and stop.")
@click.pass_context
def demo(ctx: click.Context, corpora: str, host: str, port: int, no_serve: bool) -> None:
    """Build a fresh database from the bundled corpora, judge it, and serve it.

    \b
    hinge --db demo.db demo
    """
    from . import pipeline

    db = Path(ctx.obj["db"])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = _store(ctx)
    report = pipeline.ingest_paths(store, [corpora])
    for err in report.failed:
        click.echo(f"error: {err}", err=True)
    run_id = pipeline.check(store, _embedder(), all_campaigns=True)
    click.echo(f"demo: {len(report.saved)} documents, run #{run_id} in {db}")
    store.close()
    if not no_serve:
        # The bundled campaigns span 2026, some long expired: the demo shows them all.
        ctx.invoke(serve, host=host, port=port, all_campaigns=True)
