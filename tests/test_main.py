"""`python main.py` (what `cdktf synth` runs): good configs synthesize into $CDKTF_OUTDIR, bad ones exit 2
naming the field and write nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
import yaml

import main
from tests.bad_configs import BAD_CONFIGS, GOOD_STORE
from tests.stacks.test_environments import BASE
from tests.support.cli import REPO_ROOT, interruptible, run_main


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_config_exits_2_names_the_field_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    """main() in this process, as `python main.py` runs it (the process itself: the next test)."""
    text, field = BAD_CONFIGS[case]
    config_file = tmp_path / "stackyard.yaml"
    config_file.write_text(text)
    outdir = tmp_path / "out"
    monkeypatch.setenv("STACKYARD_CONFIG", str(config_file))
    monkeypatch.setenv("CDKTF_OUTDIR", str(outdir))
    monkeypatch.setenv("STACKYARD_GRACEFUL_EXIT", "1")  # a config that wrongly passed must not end pytest
    monkeypatch.setattr(sys, "argv", ["main.py"])

    with pytest.raises(SystemExit) as exited:
        main.main()

    err = capsys.readouterr().err
    assert exited.value.code == 2, err
    assert field in err
    assert not outdir.exists(), "a rejected config must not write anything"


def test_a_bad_config_in_its_own_process_exits_2_names_the_field_and_writes_nothing(tmp_path):
    text, field = BAD_CONFIGS["wrong-type"]
    config_file = tmp_path / "stackyard.yaml"
    config_file.write_text(text)
    result = run_main(config_file, tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert field in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists(), "a rejected config must not write anything"


def test_missing_config_file_exits_2(tmp_path):
    result = run_main(tmp_path / "nope.yaml", tmp_path / "out")
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr and "cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def test_good_config_synthesizes_into_cdktf_outdir_and_leaves_no_temp_file(tmp_path):
    config_file = tmp_path / "stackyard.yaml"
    config_file.write_text(GOOD_STORE + "  multipart_upload_role: false\n")
    outdir, temp = tmp_path / "out", tmp_path / "temp"
    temp.mkdir()

    # the system's Node 20 first on PATH, its end-of-life banner not silenced: main.py starts npm's Node 22
    path = f"/usr/bin{os.pathsep}{os.environ['PATH']}"
    silenced = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"
    result = run_main(config_file, outdir, env={"TMPDIR": str(temp), "PATH": path, silenced: ""})

    assert result.returncode == 0, result.stderr
    assert list(temp.iterdir()) == [], "jsii's runtime folder is left behind"
    assert all(line.startswith("stackyard: ") for line in result.stderr.splitlines()), result.stderr
    stack = json.loads((outdir / "stacks" / "data" / "cdk.tf.json").read_text())
    buckets = sorted(bucket["bucket"] for bucket in stack["resource"]["aws_s3_bucket"].values())
    assert buckets == ["stackyard-test-bucket", "stackyard-test-bucket-access-logs"]
    assert "aws_iam_role" not in stack["resource"]


def test_a_second_config_leaves_no_stale_stack_folder_and_the_synth_says_what_it_wrote(tmp_path):
    """cdktf never cleans cdktf.out/stacks: after a config with a cluster, one without must not leave it there."""
    outdir = tmp_path / "out"
    first = tmp_path / "first.yaml"
    first.write_text(
        GOOD_STORE.replace(
            "workers:\n  enabled: false\n",
            "workers: {enabled: true, assume_role_arn: 'arn:aws:iam::210987654321:role/platform'}\n",
        )
    )
    assert run_main(first, outdir).returncode == 0
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == ["data", "workers"]
    second = tmp_path / "second.yaml"
    second.write_text(GOOD_STORE)
    result = run_main(second, outdir)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == ["data"]
    assert f"stackyard: synthesized data -> {outdir}/stacks/<stack>/cdk.tf.json" in result.stdout
    assert "removed stack folders this config no longer has: workers" in result.stdout


def test_a_config_of_your_own_with_example_values_synthesizes_and_warns_naming_each(tmp_path):
    config_file = tmp_path / "stackyard.yaml"
    config_file.write_text(GOOD_STORE.replace("stackyard-test-bucket", "my-valohai-bucket"))
    result = run_main(config_file, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "stackyard: warning: data_store.bucket_name = 'my-valohai-bucket': the example config's value" in (
        result.stderr
    )


def test_a_config_with_every_stack_off_says_it_made_none(tmp_path):
    config_file = tmp_path / "none.yaml"
    config_file.write_text(GOOD_STORE.replace("data_store:\n", "data_store:\n  enabled: false\n"))
    result = run_main(config_file, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "stackyard: synthesized no stack (the config turns every stack off)" in result.stdout


@pytest.mark.slow
def test_ctrl_c_during_the_synth_exits_130_with_one_line_and_leaves_no_temp_file(tmp_path):
    """Ctrl-C reaches the whole process group (Python and jsii's Node) while the stacks are built: twelve
    environments, uncached, so the synth outlasts a busy machine's delay in reading its first line."""
    temp = tmp_path / "temp"
    temp.mkdir()
    environments = [
        {"name": f"env{n}", "overrides": {"data_store": {"bucket_name": f"acme-ml-{n}"}}} for n in range(12)
    ]
    config_file = tmp_path / "twelve.yaml"
    config_file.write_text(yaml.safe_dump({**BASE, "environments": environments}))
    env = {
        **os.environ,
        "CDKTF_OUTDIR": str(tmp_path / "out"),
        "TMPDIR": str(temp),
        "STACKYARD_CONFIG": str(config_file),
        "STACKYARD_SYNTH_CACHE": "off",
    }
    process = subprocess.Popen(
        interruptible([sys.executable, str(REPO_ROOT / "main.py")]),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # the engine line comes once the config is read, before the stacks are built
        if line.startswith("stackyard: engine"):
            os.killpg(process.pid, signal.SIGINT)
            break
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    assert errors.strip().splitlines()[-1:] == ["stackyard: interrupted (Ctrl-C); run it again for a whole cdktf.out"]
    assert "Traceback" not in errors, errors
    assert list(temp.iterdir()) == []


@pytest.mark.slow
def test_npx_cdktf_synth_of_a_config_with_fewer_stacks_leaves_the_old_folders_to_the_cli(tmp_path):
    """The engine's CLI lists cdktf.out/stacks before running main.py and deletes the folders it no longer makes
    afterwards: main.py leaves them to it (it failed with ENOENT on one main.py had deleted first)."""
    outdir, single = tmp_path / "out", tmp_path / "data-only.yaml"
    single.write_text(GOOD_STORE + "  multipart_upload_role: false\n")
    env = {**os.environ, "CI": "1", "CHECKPOINT_DISABLE": "1"}
    env.pop("STACKYARD_CONFIG", None)
    command = ["npx", "--no-install", "cdktf", "synth", "--output", str(outdir)]
    for config in (None, single):
        if config is not None:
            env["STACKYARD_CONFIG"] = str(config)
        done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert sorted(path.name for path in (outdir / "stacks").iterdir()) == ["data"]
    assert "removed stack folders" not in done.stdout, "main.py removed them itself"
