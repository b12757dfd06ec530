"""``flask contests …`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

contests_cli = AppGroup("contests", help="Knowledge competitions.")

#: The audit log's actor for changes made from the command line.
CLI_ACTOR = "system:cli"


@contests_cli.command("expire")
def expire() -> None:
    """Score every attempt left open past its deadline (the sweep, run once)."""
    from quizapp.contests.tasks import sweep_overdue_attempts

    click.echo(f"closed {sweep_overdue_attempts()} overdue attempt(s)")


@contests_cli.command("statistics")
@click.argument("competition_id", type=int)
def statistics(competition_id: int) -> None:
    """Recompute and store one competition's statistics now (what the scheduled job does when they are stale)."""
    from quizapp.contests.services import get_competition
    from quizapp.contests.statistics_store import recompute
    from quizapp.core.errors import DomainError
    from quizapp.core.timeutil import format_local

    try:
        competition = get_competition(competition_id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    stats, snapshot = recompute(competition)
    click.echo(
        f"{competition.title}：统计已更新（{format_local(snapshot.computed_at)}，用时 {snapshot.compute_ms} 毫秒；"
        f"{stats.total.with_result} 人有成绩，{len(stats.questions)} 个题目版本）"
    )


@contests_cli.command("draw")
@click.argument("competition_id", type=int)
@click.option("--winners", "winners", type=click.IntRange(1, 1000), required=True, help="How many winners (1–1000).")
@click.option("--seed", required=True, help="The published seed (1–64 characters).")
@click.option("--threshold", type=float, default=None, help="Minimum best score, points (default: prize threshold or pass mark).")
@click.option("--prize", default=None, help="Prize name (default 幸运奖); one draw per prize.")
@click.option("--dry-run", is_flag=True, help="Show the winners without recording the draw.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def draw(competition_id: int, winners: int, seed: str, threshold: float | None, prize: str | None, dry_run: bool, as_json: bool) -> None:
    """Draw prize winners (有奖问答) with a published seed; the same data and seed print the same winners.

    Exit status 0 on success, 1 when the draw is refused (unknown competition, not closed,
    prize already drawn, no entries, bad seed), 2 for bad options.
    """
    import json

    from quizapp.contests import draws
    from quizapp.core.errors import DomainError

    options = {"winners": winners, "seed": seed, "threshold": threshold, "prize": prize}
    try:
        if dry_run:
            result = draws.preview_draw(competition_id, **options)
        else:
            result = draws.run_draw(competition_id, actor=CLI_ACTOR, **options)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{result.competition.title}「{result.prize}」 种子 {result.seed} 门槛 {result.threshold:g} 分："
        f"{len(result.entries)} 人符合条件，抽取 {len(result.winners)} 人"
    )
    for winner in result.winners:
        click.echo(f"{winner.rank}. 答题 #{winner.attempt_id} {winner.name} {winner.phone} {winner.score:g} 分 {winner.ticket[:16]}")
    click.echo(f"已记录为抽奖 #{result.draw.id}" if result.draw is not None else "预览（--dry-run），未记录")
