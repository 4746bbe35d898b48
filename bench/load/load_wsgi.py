"""The app as gunicorn serves it in the load test, with the sign-in limit raised.

Every simulated learner signs in from 127.0.0.1, and the login limit is per client address
(10 a minute), so the stock limit would refuse all but the first ten. The limiter itself stays
on, with its Redis storage, so its cost is in the figures. Nothing else differs from
``gunicorn 'app:create_app()'``.
"""

from __future__ import annotations

import os

from app import create_app

app = create_app()
app.config["LOGIN_RATE_LIMIT"] = os.environ.get("LOAD_LOGIN_RATE_LIMIT", "100000 per minute")
