"""What the SMS gateway SDKs cost per message on our side: N sends through each backend
(liaison/notifications/gateways.py) to the local stand-ins of
tests/notifications/gateway_servers.py, which answer at once. The figures are the SDK's own time
(building, signing, HTTP on loopback, parsing), the floor under every real send; a real gateway
adds its network round trip.

No database and no internet: the endpoint is the local server.

    .venv/bin/python -W ignore bench/notifications_gateways.py [--sends 500]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=500)
    args = parser.parse_args()

    # Django first: the backends read its settings.
    import django

    django.setup()
    from django.conf import settings

    from liaison.notifications.gateways import AliyunSmsBackend, TencentCloudSmsBackend
    from tests.notifications.gateway_servers import (
        SECRET_ID,
        SECRET_KEY,
        AliyunServer,
        TencentCloudServer,
    )

    settings.SMS_SECRET_ID, settings.SMS_SECRET_KEY = SECRET_ID, SECRET_KEY
    settings.SMS_SIGN_NAME, settings.SMS_APP_ID = "联络站", "1400000001"
    settings.SMS_REGION, settings.SMS_TIMEOUT_SECONDS = "ap-guangzhou", 5
    settings.SMS_TEMPLATE_IDS = {"case_received": "2345678"}
    message = SimpleNamespace(
        pk=1,
        recipient="13800138000",
        template="case_received",
        params={"number": "LS-2025-000123", "url": "https://liaison.example.cn/t/abc"},
        masked_recipient="138****8000",
    )

    print(f"{args.sends} sends each, one at a time")
    print(f"{'gateway':20} {'median ms':>10} {'p95 ms':>8} {'sends/s':>8}")
    for name, server_class, backend_class in [
        ("Tencent Cloud", TencentCloudServer, TencentCloudSmsBackend),
        ("Alibaba Cloud", AliyunServer, AliyunSmsBackend),
    ]:
        with server_class() as server:
            settings.SMS_ENDPOINT = server.url
            backend = backend_class()  # built once, as the worker does
            backend.send(message)  # warm up (imports, connection)
            samples = []
            start = time.perf_counter()
            for _ in range(args.sends):
                began = time.perf_counter()
                backend.send(message)
                samples.append((time.perf_counter() - began) * 1000)
            elapsed = time.perf_counter() - start
        assert not server.problems, server.problems
        p95 = statistics.quantiles(samples, n=20)[-1]
        print(
            f"{name:20} {statistics.median(samples):10.2f} {p95:8.2f} {args.sends / elapsed:8.0f}"
        )


if __name__ == "__main__":
    main()
