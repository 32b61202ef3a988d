"""The example plugin package installs with pip, is discovered, tags its action, and its own
tests pass -- checked in a throw-away virtual environment, as a new plugin author would do it.

Why a venv and not just ``Engine(plugins=[...])``: what breaks in practice is packaging (the
entry point, the rule packs left out of the wheel), and only a real ``pip install`` shows that.
To stay fast and offline the venv borrows this interpreter's packages (a ``.pth`` file), and pip
builds the plugin without build isolation when the local setuptools can; otherwise pip fetches
setuptools from the package index, and the test skips with the reason if that is unreachable.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest
from installed import importable_outside

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "examples" / "visa-restrictions-plugin"
SENTENCE = "The State Department imposed visa restrictions on 300 Guatemalan officials."
OFFLINE_HINTS = ("Could not find a version", "No matching distribution", "NewConnectionError",
                 "Temporary failure in name resolution", "Network is unreachable", "ProxyError",
                 "connection", "Connection")


def _run(cmd: list[str], cwd: Path, timeout: float = 120, stdin: str | None = None,
         **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("POLICY_CLASSIFIER_PLUGINS", "PYTHONPATH")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra_env)
    return subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=timeout)


def _parent_site_dirs() -> list[str]:
    dirs = list(site.getsitepackages())
    if site.ENABLE_USER_SITE and os.path.isdir(site.getusersitepackages()):
        dirs.append(site.getusersitepackages())
    return dirs


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(python of a fresh venv with the example plugin installed, the plugin's copy)."""
    if importlib.util.find_spec("venv") is None or importlib.util.find_spec("pip") is None:
        pytest.skip("the venv module or pip is not available to this interpreter")
    if not importable_outside("classifier"):
        pytest.skip("classifier is not installed (run from its source folder): the plugin's venv "
                    "borrows the installed package")
    base = tmp_path_factory.mktemp("example-plugin")
    env_dir = base / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages",
                 str(env_dir)], cwd=base)
    if made.returncode != 0:
        pytest.skip(f"cannot create a venv: {made.stderr.strip().splitlines()[-1:]}")
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                   cwd=base).stdout.strip()
    # --system-site-packages sees the *base* interpreter only; when the tests run inside a venv
    # (CI), this makes its packages (classifier, pluggy, pip, pytest) visible too.
    Path(purelib, "_parent_site.pth").write_text(
        "".join(f"import site; site.addsitedir({d!r})\n" for d in _parent_site_dirs()),
        encoding="utf-8")
    # Build from a copy: pip builds in-tree and would leave build/ and *.egg-info in the repo.
    source = base / "visa-restrictions-plugin"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    install = [str(python), "-m", "pip", "install", "--quiet", "--no-deps"]
    done = _run(install + ["--no-build-isolation", "--no-index", str(source)], cwd=base)
    if done.returncode != 0:  # e.g. an old local setuptools without bdist_wheel: isolate the build
        done = _run(install + [str(source)], cwd=base, timeout=180)
    if done.returncode != 0:
        if any(hint in done.stdout + done.stderr for hint in OFFLINE_HINTS):
            pytest.skip("cannot build the plugin: no usable local setuptools and the package "
                        "index is unreachable")
        pytest.fail(f"pip install of the example plugin failed:\n{done.stdout}\n{done.stderr}")
    return python, source


def test_installed_plugin_is_listed(venv):
    python, _ = venv
    done = _run([str(python), "-m", "classifier", "plugins"], cwd=venv[1].parent)
    assert done.returncode == 0, done.stderr
    listing = done.stdout
    assert "visa_restrictions  0.1.0  (entry point policy_classifier_visa" in listing
    assert "action types: visa_restrictions" in listing


def test_installed_plugin_tags_a_visa_ban(venv):
    python, _ = venv
    done = _run([str(python), "-m", "classifier", "classify", "-", "--format", "json"],
                cwd=venv[1].parent, stdin=SENTENCE)
    assert done.returncode == 0, done.stderr
    profile = json.loads(done.stdout)
    visa = profile["actions"]["visa_restrictions"]
    assert visa["modality"] == {"asserted": 1}
    assert [a["value"] for a in visa["amounts"]] == [300]


def test_installed_plugin_passes_its_rule_tests(venv):
    python, _ = venv
    # Only the plugin (and the splitter): `rules test` then checks just its five rules.
    done = _run([str(python), "-m", "classifier", "rules", "test"], cwd=venv[1].parent,
                POLICY_CLASSIFIER_PLUGINS="segment,langdetect,visa_restrictions")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS  visa_restrictions.en.impose" in done.stdout
    assert "5 rules, " in done.stdout


def test_example_plugins_own_tests_pass(venv):
    python, source = venv
    # Run from outside the copy, so the tests import the *installed* package.
    done = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(source / "tests")],
                cwd=source.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout


def _readme_commands(section: str) -> list[str]:
    """The shell lines of the first ``bash`` block under the README heading ``## <section>``."""
    text = (PLUGIN / "README.md").read_text(encoding="utf-8")
    body = text.split(f"\n## {section}", 1)[1].split("\n## ", 1)[0]
    block = body.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_readme_section_3_runs_as_written_after_install(venv):
    """Installed, then its rules tested with --plugin on the same source: one plugin, not two
    ("action type already registered by plugin '__init__'" before)."""
    python, source = venv
    commands = _readme_commands("3.")
    assert len(commands) == 3 and all(c.startswith("policy-classify ") for c in commands)
    for command in commands:
        argv = [str(python), "-m", "classifier", *shlex.split(command)[1:]]
        done = _run(argv, cwd=source)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        assert "already registered" not in done.stderr
