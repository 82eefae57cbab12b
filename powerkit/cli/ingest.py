"""``powerkit ingest``: an interaction log (e-mail, meetings, chat metadata) → a deal folder with
the informal network (``ties``, ``stakeholders``), people pseudonymised by a keyed hash.
Method: docs/methods/ingest.md."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import app, err, out


@app.command("ingest")
def ingest_command(
        log: Annotated[Path, typer.Argument(
            help="the log: a CSV file (generic, message-trace, viva-p2p) or an unzipped Slack "
                 "export folder (slack)")],
        fmt: Annotated[str, typer.Option(
            "--format", help="generic (sender,recipients,timestamp[,kind]), message-trace, "
                             "viva-p2p or slack")] = "generic",
        out_dir: Annotated[Path, typer.Option(
            "--out", help="the new deal folder to write")] = Path("network"),
        party: Annotated[str, typer.Option(
            "--party", help="party id of the organisation the people belong to")] = "client",
        party_name: Annotated[str | None, typer.Option(
            "--party-name", help="its display name (default: the id)")] = None,
        kind: Annotated[str, typer.Option(
            "--kind", help="kind written on the ties: influence or advice")] = "influence",
        half_life: Annotated[float, typer.Option(
            "--half-life", help="days after which an interaction counts half (0: no decay)")] = 90.0,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="YYYY-MM-DD: decay reference; later interactions are dropped "
                            "(default: the latest time in the log)")] = None,
        max_recipients: Annotated[int, typer.Option(
            "--max-recipients", help="drop mass mails and meetings with more recipients")] = 20,
        domain: Annotated[list[str] | None, typer.Option(
            "--domain", help="the organisation's mail domain (repeatable); other addresses are "
                             "dropped")] = None,
        service_pattern: Annotated[list[str] | None, typer.Option(
            "--service-pattern", help="more address fragments of service/room accounts to drop "
                                      "(repeatable; added to noreply, room-, calendar, ...)")] = None,
        min_count: Annotated[float, typer.Option(
            "--min-count", help="keep a tie with at least this many interactions")] = 1,
        meeting_weight: Annotated[float, typer.Option(
            "--meeting-weight", help="a meeting counts this many messages")] = 1.0,
        reciprocity: Annotated[float, typer.Option(
            "--reciprocity", help="ρ: a fully reciprocated tie weighs (1 + ρ) times more")] = 1.0,
        key_file: Annotated[Path | None, typer.Option(
            "--key-file", help="file holding the pseudonymisation key (else the environment "
                               "variable POWERKIT_PSEUDONYM_KEY)")] = None,
        keep_addresses: Annotated[bool, typer.Option(
            "--keep-addresses", help="write the addresses themselves instead of "
                                     "pseudonyms")] = False,
        mapping: Annotated[Path | None, typer.Option(
            "--mapping", help="write the address → pseudonym table here (outside --out; keep "
                              "it apart)")] = None,
        time_format: Annotated[str | None, typer.Option(
            "--time-format", help="strptime format of the times, e.g. '%m/%d/%Y %I:%M:%S %p' "
                                  "(default: ISO 8601)")] = None,
        email_column: Annotated[str | None, typer.Option(
            "--email-column", help="viva-p2p: the e-mail metric column")] = None,
        meeting_column: Annotated[str | None, typer.Option(
            "--meeting-column", help="viva-p2p: the meeting metric column")] = None,
        merge: Annotated[bool, typer.Option(
            "--merge", help="add the ties and new people to the existing deal folder --out "
                            "(its --party must exist; same key as before)")] = False,
        channel_posts: Annotated[bool, typer.Option(
            "--channel-posts", help="slack: a top-level channel post speaks to every channel "
                                    "member (default: only replies and direct messages "
                                    "count)")] = False):
    """Turn an interaction log into a deal folder: who listens to whom (ties), the people
    (stakeholders), pseudonymised unless --keep-addresses."""
    from ..errors import InputError
    from ..ingest import SERVICE_PATTERNS, ingest_log, merge_into_deal, read_key, write_deal

    try:
        if keep_addresses and (key_file is not None or mapping is not None):
            raise InputError("--keep-addresses: no pseudonyms are made, so --key-file and "
                             "--mapping do not apply")
        key = None if keep_addresses else read_key(key_file)
        result = ingest_log(
            log, fmt, kind=kind, half_life=half_life or None, as_of=as_of,
            max_recipients=max_recipients, domains=tuple(domain or ()),
            service_patterns=SERVICE_PATTERNS + tuple(service_pattern or ()),
            min_count=min_count, meeting_weight=meeting_weight, reciprocity=reciprocity, key=key,
            time_format=time_format, email_column=email_column, meeting_column=meeting_column,
            slack_channel_posts=channel_posts)
        if merge:
            merge_into_deal(result, out_dir, party=party, mapping_path=mapping)
        else:
            write_deal(result, out_dir, party=party, party_name=party_name, mapping_path=mapping)
    except InputError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from None
    s = result.summary
    out.print(f"{'merged into' if merge else 'wrote'} {out_dir}: {s['people']} people, {s['ties']} ties from {s['rows']} rows "
              f"({s['mass_mails_dropped']} mass mails, {s['service_accounts_dropped']} service "
              f"accounts, {s['outside_addresses_dropped']} outside addresses dropped)"
              + ("; pseudonymised" if s["pseudonymised"] else "; addresses kept")
              + (f"; mapping in {mapping}" if mapping else ""), markup=False)
