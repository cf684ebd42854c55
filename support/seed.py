"""Demo community (placeholder until the seed is written)."""

DEMO_LOGINS = []


def seed_demo(questions=300, seed=7, progress=False):
    return "nothing seeded"
