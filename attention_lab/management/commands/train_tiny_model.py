"""`python manage.py train_tiny_model`: retrain the tiny induction model and rewrite its committed files."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Train the 2-layer tiny Transformer on the induction task (seeded, a few minutes on a CPU) and "
            "write its weights, SHA256SUMS and training log to attention_lab/tiny/weights/. With --check, "
            "train into a temporary folder instead and fail unless the result matches the committed SHA256SUMS.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true",
                            help="retrain without writing and verify the weights reproduce bit for bit")
        parser.add_argument("--output-dir", type=Path, default=None,
                            help="write here instead of attention_lab/tiny/weights/")

    def handle(self, *args, check: bool, output_dir: Path | None, **options) -> None:
        # torch is imported here, not at module level: `manage.py help` must not load it.
        from attention_lab.tiny.checkpoint import WEIGHTS_DIR, expected_sha256, verify_checkpoint
        from attention_lab.tiny.train import train_and_save

        committed_dir = output_dir or WEIGHTS_DIR
        if not check:
            result, digest = train_and_save(committed_dir, log=self.stdout.write)
            self.stdout.write(self.style.SUCCESS(
                f"Wrote {committed_dir}: accuracy {result.accuracy:.4f}, {result.seconds:.0f} s, sha256 {digest}."))
            return
        try:
            verify_checkpoint(committed_dir)
        except (OSError, RuntimeError) as error:
            raise CommandError(f"The committed weights do not match SHA256SUMS: {error}") from None
        with tempfile.TemporaryDirectory() as scratch:
            _, digest = train_and_save(Path(scratch), log=self.stdout.write)
        expected = expected_sha256(committed_dir)
        if digest != expected:
            raise CommandError(
                f"Retrained weights have sha256 {digest}, SHA256SUMS says {expected}. On another CPU or torch "
                "build the last bits of a float sum can differ; on the machine that trained them this is a bug.")
        self.stdout.write(self.style.SUCCESS(f"Reproduced bit for bit: sha256 {digest}."))
