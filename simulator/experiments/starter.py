"""A commented starter scenario (``trustsim new``) that validates as written."""

from __future__ import annotations

NAMES = ["Alex Morgan", "Bea Okoro", "Chen Wei", "Dara Novak", "Emil Sørensen", "Farah Aziz",
         "Gus Ferreira", "Hanna Berg", "Ivo Petrov", "Jade Dubois", "Kofi Boateng",
         "Lia Romano", "Milo Park", "Nina Kovač", "Omar Haddad", "Pia Lindqvist",
         "Quinn Walsh", "Rosa Jiménez", "Sami Laine", "Tara Singh", "Udo Braun",
         "Vera Costa", "Wen Li", "Yara Nasser", "Zoe Evans"]

TEXT = {
    "en": {"title": "My scenario", "team": "Team", "brief":
           "Describe the situation the trainee walks into: who they are, who works with "
           "them, what is at stake, and the goal in numbers."},
    "nl": {"title": "Mijn scenario", "team": "Team", "brief":
           "Beschrijf de situatie: wie de deelnemer is, met wie die werkt, wat er op het "
           "spel staat, en het doel in getallen."},
}


def starter_yaml(name: str, *, people: int = 8, teams: int = 2, language: str = "en",
                 schema: str = "schema.json") -> str:
    """The text of a starter scenario: ``people`` people in ``teams`` teams."""
    if people < teams * 2:
        raise ValueError(f"{people} people cannot fill {teams} teams of at least two")
    words = TEXT.get(language.split("-")[0], TEXT["en"])
    team_ids = [f"team{k + 1}" for k in range(teams)]
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# {name}: a trustsim scenario. Check it with `trustsim check {name}.yaml`;",
        "# every field is described in docs/authoring.md and shows as hover text in editors",
        "# that read the schema above.",
        "version: 1",
        f"title: {words['title']}",
        f"language: {language}",
        "summary: One line shown in the scenario picker.",
        "brief: |",
        f"  {words['brief']}",
        "seed: 1            # the default seed (delegated work, quick wins that fall flat, events)",
        "turns: 8           # how many turns the game lasts",
        "player: p1         # the person the trainee plays: a manager with reports",
        "capacity: 2        # acts per turn",
        "",
        "# params:          # model parameters to override (see docs/model.md), for example",
        "#   cross_team_decay: 0.15",
        "",
        "teams:",
    ]
    lines += [f"  - {{id: {t}, name: {words['team']} {k + 1}}}" for k, t in enumerate(team_ids)]
    lines += ["", "people:",
              "  # traits are in [0, 1]: competence (delegation succeeds), openness (feedback",
              "  # lands), propensity (trust in strangers). Omitted traits are 0.5."]
    per_team = [people // teams + (1 if k < people % teams else 0) for k in range(teams)]
    n = 0
    leads: list[str] = []
    for k, size in enumerate(per_team):
        for j in range(size):
            n += 1
            pid = f"p{n}"
            name_ = NAMES[(n - 1) % len(NAMES)]
            if j == 0:
                leads.append(pid)
                manager = "" if k == 0 else ", manager: p1"
                role = "manager"
            else:
                manager = f", manager: {leads[k]}"
                role = "employee"
            lines.append(f"  - {{id: {pid}, name: {name_}, role: {role}, team: {team_ids[k]}"
                         f"{manager}, traits: {{competence: 0.6, openness: 0.5, "
                         f"propensity: 0.5}}}}")
    lines += [
        "",
        "relationships:",
        "  defaults:        # every pair of a kind gets these unless a tie below says otherwise",
        "    within_team: {trust: 0.5, strength: 0.6}",
        "    cross_team: {trust: 0.4, strength: 0.15}",
        "    reporting: {trust: 0.45, strength: 0.8}",
        "  ties:            # explicit ties: from/to for one direction, mutual for both",
        "    - {from: p2, to: p1, trust: 0.3}",
        "",
        "promises:",
        "  - {id: promise1, by: p1, to: p2, what: a clear answer on the budget, due: 3}",
        "",
        "events:",
        "  - id: squeeze",
        "    turn: 4",
        "    kind: budget_cut",
        "    title: A budget squeeze",
        "    text: Money is tight and the teams compete for it.",
        f"    teams: [{', '.join(team_ids[:2])}]" if teams >= 2 else "    teams: [team1, team1]",
        "",
        "objectives:",
        "  - id: team-trust",
        "    kind: trust_in_player",
        "    who: team1",
        "    at_least: 0.6",
        "    text: Your team trusts you (0.60 or more) by the last turn",
        "  - id: no-broken",
        "    kind: no_broken_promises",
        "    text: Break no promise",
        "",
        "debrief:",
        "  - Which act changed the most, and why there?",
        "  - What would you do differently in the first two turns?",
        "",
    ]
    if teams < 2:
        # a budget cut needs two teams: leave the event out
        start = lines.index("events:")
        del lines[start:start + 8]
        lines.insert(start, "events: []")
    return "\n".join(lines)
