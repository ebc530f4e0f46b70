"""`liaison triage generate --assignments N` writes a realistic history into the current database
(demos, benchmarks); `liaison triage train` trains, evaluates and puts the new model in use when
it is no worse; `liaison triage evaluate` prints top-1 / top-3 accuracy per category on a held-out
split of the history (docs/triage.md)."""

import time

from django.core.management.base import BaseCommand, CommandError

from liaison.triage import hooks, services


def print_evaluation(write, evaluation: dict) -> None:
    overall = evaluation["overall"]
    write(f"{'category':<24} {'n':>7} {'top-1':>7} {'top-3':>7}")
    for name, row in evaluation["categories"].items():
        write(f"{name:<24} {row['n']:>7} {row['top1']:>7.1%} {row['top3']:>7.1%}")
    write(f"{'overall':<24} {overall['n']:>7} {overall['top1']:>7.1%} {overall['top3']:>7.1%}")


def print_comparison(write, evaluation: dict) -> None:
    """The new model and the model in use, measured on the same held-out messages."""
    new, old = evaluation["overall"], evaluation.get("in_use_on_same_split")
    if not old:
        write("no model in use to compare with")
        return
    held_out = evaluation.get("held_out", "")
    write(f"same held-out split ({new['n']} messages, {held_out}):")
    write(f"  {'new model':<22} top-1 {new['top1']:>6.1%}  top-3 {new['top3']:>6.1%}")
    o = old["overall"]
    write(
        f"  {'model in use #' + str(old['model']):<22} top-1 {o['top1']:>6.1%}  "
        f"top-3 {o['top3']:>6.1%}  ({old['seen']} of them older than it)"
    )


class Command(BaseCommand):
    help = "Triage suggestions: generate a history, train the model, evaluate it."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        generate = actions.add_parser("generate", help="Write a generated history of cases.")
        generate.add_argument("--assignments", type=int, required=True)
        generate.add_argument("--seed", type=int, default=0)
        train = actions.add_parser("train", help="Train; use the new model if it is no worse.")
        train.add_argument("--force", action="store_true", help="Use the new model anyway.")
        actions.add_parser("evaluate", help="Top-1 / top-3 accuracy on a held-out split.")
        actions.add_parser("hotspots", help="Find the hot topics of the last 30 days now.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except services.NotEnoughHistory as short:
            raise CommandError(
                f"Only {short.args[0]} past assignments: at least {services.MIN_SAMPLES} are "
                "needed. Routing rules keep suggesting until then."
            ) from short
        except ValueError as refused:
            raise CommandError(str(refused)) from refused

    def _generate(self, *, assignments, seed, **_options):
        if assignments < 1:
            raise CommandError("--assignments must be at least 1.")
        started = time.monotonic()
        written = sum(func(assignments, seed) for func in hooks.generator.functions())
        self.stdout.write(
            f"{written} cases with their assignments generated "
            f"in {time.monotonic() - started:.1f} s"
        )

    def _train(self, *, force=False, **_options):
        started = time.monotonic()
        outcome = services.train_model(force=force)
        evaluation = outcome.model.evaluation
        print_evaluation(self.stdout.write, evaluation)
        print_comparison(self.stdout.write, evaluation)
        state = "in use" if outcome.replaced else "kept aside: worse than the model in use"
        self.stdout.write(
            f"model #{outcome.model.pk} trained on {outcome.model.samples} assignments in "
            f"{time.monotonic() - started:.1f} s ({len(outcome.model.blob) / 1e6:.1f} MB): {state}"
        )

    def _hotspots(self, **_options):
        from liaison.triage import hotspots

        outcome = hotspots.compute()
        self.stdout.write(
            f"{outcome.hotspots} hot topics among {outcome.messages} messages "
            f"in {outcome.seconds:.1f} s"
        )

    def _evaluate(self, **_options):
        started = time.monotonic()
        evaluation, count = services.evaluate_history()
        print_evaluation(self.stdout.write, evaluation)
        self.stdout.write(
            f"{count} assignments, 20 % held out, in {time.monotonic() - started:.1f} s"
        )
