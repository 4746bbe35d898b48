"""The certificates package stays framework-free (DESIGN.md principle 1)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_every_certificates_module_loads_neither_flask_nor_sqlalchemy():
    code = (
        "import sys\n"
        "import certificates, certificates.model, certificates.numbers, certificates.fonts\n"
        "import certificates.render, certificates.sample, certificates.ob3\n"
        "from certificates.render import render_pdf\n"
        "from certificates.sample import specimen_data\n"
        "render_pdf(specimen_data('Ann Lee'), 'https://x.example')\n"
        "bad = sorted({n.split('.')[0] for n in sys.modules} & {'flask', 'sqlalchemy', 'app'})\n"
        "print(','.join(bad) or 'clean')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "clean"
