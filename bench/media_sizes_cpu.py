# ruff: noqa: S603, S607 -- the benchmark runs libvips' command-line tool on local files by design
"""Benchmark (not a test): CPU time to make every size of an image, the worker's code against vipsthumbnail.

    uv run python bench/media_sizes_cpu.py [--rounds 7]

For each input (a 24-megapixel photo-like JPEG and a 12-megapixel PNG, generated here), the four sizes (thumb 160,
small 480, medium 1024, large 2048 on the longest side, WebP quality 80, metadata stripped, never upscaled) are
made by the worker's own code (adapters/outbound/processing/images.render_file, in this process, configured as
the worker is: MEDIAS_PROCESSING_VIPS_THREADS) and by the
vipsthumbnail command-line tool (one run per size, as an operator would script it), alternating within each
round. CPU time is user + system of this process (every libvips thread included) for the worker's code, and of
the finished child processes for vipsthumbnail. Target: worker <= 1.5 x vipsthumbnail (median per-image ratio).

vipsthumbnail comes from Debian's libvips-tools (apt-get install -y libvips-tools), so it may be an older libvips
than the one pyvips-binary bundles; both versions are reported. Results go to bench/results/media_sizes_cpu.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyvips  # noqa: E402

from medias_service.adapters.outbound.processing.images import configure_vips, render_file  # noqa: E402
from medias_service.domain.processing import SIZES  # noqa: E402
from medias_service.main.pipeline_settings import ProcessingSettings  # noqa: E402

QUALITY = 80


def photo_like(width: int, height: int) -> pyvips.Image:
    """Gradients, a disc and fine noise: compresses like a photograph rather than a flat test card."""
    x = pyvips.Image.xyz(width, height)
    red = x[0] * (255 / width)
    green = x[1] * (255 / height)
    blue = (x[0] + x[1]) % 256
    noise = pyvips.Image.gaussnoise(width, height, sigma=18, mean=0)
    image = red.bandjoin([green, blue]) + noise
    return image.cast("uchar").draw_circle([250, 240, 30], width // 2, height // 2, min(width, height) // 4, fill=True)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker_sizes(path: Path) -> float:
    started = own_cpu()
    _, renditions = render_file(str(path), SIZES, pixel_limit=10**9, quality=QUALITY)
    assert len(renditions) == len(SIZES)
    return own_cpu() - started


def cli_sizes(path: Path, out: Path) -> float:
    started = children_cpu()
    for spec in SIZES:
        target = out / f"{spec.name}.webp[Q={QUALITY},strip]"
        subprocess.run(
            ["vipsthumbnail", str(path), "--size", f"{spec.edge}x{spec.edge}>", "-o", str(target)], check=True
        )
    for spec in SIZES:
        assert (out / f"{spec.name}.webp").stat().st_size > 0
    return children_cpu() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if shutil.which("vipsthumbnail") is None:
        print("vipsthumbnail is missing: apt-get install -y libvips-tools", file=sys.stderr)
        return 2
    configure_vips(ProcessingSettings().vips_threads)  # as the worker runs it
    cli_version = subprocess.run(["vipsthumbnail", "--vips-version"], capture_output=True, text=True).stdout.strip()
    result: dict[str, object] = {
        "cpus": os.cpu_count(),
        "pyvips_libvips": ".".join(str(pyvips.version(i)) for i in range(3)),
        "worker_vips_threads": ProcessingSettings().vips_threads,
        "vipsthumbnail_libvips": cli_version,
        "rounds": args.rounds,
        "images": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        inputs = {
            "photo_6000x4000.jpg": (photo_like(6000, 4000), {"Q": 90}),
            "photo_4000x3000.png": (photo_like(4000, 3000), {}),
        }
        ratios = []
        for name, (image, options) in inputs.items():
            path = tmp_path / name
            image.write_to_file(str(path), **options)
            worker_sizes(path)  # warm-up: code paths and the page cache, for both
            cli_sizes(path, tmp_path)
            ours, theirs = [], []
            for _ in range(args.rounds):
                ours.append(worker_sizes(path))
                theirs.append(cli_sizes(path, tmp_path))
            ratio = statistics.median(ours) / statistics.median(theirs)
            ratios.append(ratio)
            result["images"][name] = {  # type: ignore[index]
                "bytes": path.stat().st_size,
                "worker_cpu_s": {"median": round(statistics.median(ours), 3), "all": [round(v, 3) for v in ours]},
                "vipsthumbnail_cpu_s": {
                    "median": round(statistics.median(theirs), 3),
                    "all": [round(v, 3) for v in theirs],
                },
                "ratio": round(ratio, 3),
            }
    result["worst_ratio"] = round(max(ratios), 3)
    result["target_met"] = max(ratios) <= 1.5
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "media_sizes_cpu.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
