"""Determinism and sharing: same input, rules and plugins -> byte-identical output.

Checked where users would notice: the CLI's stdout with one worker and with two (bad records
included, so error records must land in the same places), and one Engine shared by threads
compared with the same articles classified one after another.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from classifier.cli.main import main

ARTICLES = [
    "The finance ministry froze the assets of four importers on Monday.",
    "Customs officers said tariffs on bicycles would rise to 12% next year.",
    "Nothing of note: the council discussed parks and a new library.",
    "The court ordered the extradition of the two suspects to Spain.",
    "Troops shelled the border town overnight, residents said.",
    "El gobierno anunció sanciones contra tres bancos el martes.",
    "Officials offered a $3 million reward for the capture of the smuggler.",
    "Mr. Lee, the envoy, did not rule out sanctions. He left at 5 p.m.",
]


def corpus_lines() -> list[bytes]:
    lines = []
    for number in range(40):
        text = " ".join(ARTICLES[(number + k) % len(ARTICLES)] for k in range(1 + number % 3))
        lines.append(json.dumps({"id": f"n{number}", "text": text}).encode())
        if number % 17 == 0:
            lines.append(b'{"id": "broken-%d", "text": ' % number)
        if number % 13 == 0:
            lines.append(b'{"id": "nul-%d", "text": "caf\xe9 \\u0000 sanctions"}' % number)
    return lines


def test_jobs_1_and_2_give_byte_identical_output(tmp_path, capsysbinary, monkeypatch):
    monkeypatch.delenv("POLICY_CLASSIFIER_PLUGINS", raising=False)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(b"\n".join(corpus_lines()) + b"\n")
    outputs = []
    for jobs in ("1", "2"):
        code = main(["classify", str(corpus), "--no-entry-points", "--jobs", jobs])
        out, err = capsysbinary.readouterr()
        assert code == 1  # the broken lines
        outputs.append((out, err))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][0].splitlines()) == len(corpus_lines())


def test_one_engine_shared_by_threads_matches_serial_results(engine):
    texts = [" ".join(ARTICLES[(n + k) % len(ARTICLES)] for k in range(1 + n % 4)) for n in range(64)]
    serial = [json.dumps(engine.classify(text, id=str(n)).to_dict(), sort_keys=True)
              for n, text in enumerate(texts)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(2):
            threaded = list(pool.map(
                lambda pair: json.dumps(engine.classify(pair[1], id=str(pair[0])).to_dict(), sort_keys=True),
                enumerate(texts)))
            assert threaded == serial


def test_a_fresh_engine_gives_the_same_bytes(engine):
    from classifier.pipeline.engine import Engine

    text = " ".join(ARTICLES)
    again = Engine(entry_points=False)
    assert json.dumps(engine.classify(text).to_dict()) == json.dumps(again.classify(text).to_dict())


ARTICLES_FOR_THREADS = [
    "Spain extradited the banker to Mexico. The Audiencia Nacional approved the handover in May.",
    "The European Union imposed sanctions on six firms. The measures freeze their assets.",
    "Colombia's prosecutor offered 500 million pesos for the leader. The reward was raised later.",
    "Argentina offered a reward of 10 million pesos for information on the fugitive.",
    "The Pentagon said U.S. forces struck three boats. The strikes killed 11 people.",
    "India raised duties on Chinese steel to 25%. The tariffs take effect on Monday.",
]


def test_the_same_text_twice_gives_the_same_profile(engine):
    """Refiners keep per-article state; a second call on the same text must start afresh."""
    for text in ARTICLES_FOR_THREADS:
        first, second = engine.classify(text), engine.classify(text)
        assert first.to_dict() == second.to_dict()


def test_threads_sharing_one_engine_get_the_sequential_profiles(engine):
    from concurrent.futures import ThreadPoolExecutor

    texts = ARTICLES_FOR_THREADS * 40
    expected = [engine.classify(t, id=str(i)).to_dict() for i, t in enumerate(texts)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(lambda item: engine.classify(item[1], id=str(item[0])).to_dict(),
                            enumerate(texts)))
    assert got == expected
