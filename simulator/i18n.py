"""Message catalogues: every word the interface and the debrief say, in English and Dutch.

Scenario text (brief, names, events, objectives) lives in the scenario file; these are the
tool's own words. ``Messages(lang)("key", **values)`` formats one; a missing key in a
language falls back to English, and a test checks that every language has every key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

EN: dict[str, str] = {
    "number.decimal": ".",
    # application
    "app.title": "trustsim",
    "app.subtitle": "trust and silos at work",
    # picker
    "picker.title": "Choose a scenario",
    "picker.col.title": "Scenario",
    "picker.col.language": "Lang",
    "picker.col.people": "People",
    "picker.col.turns": "Turns",
    "picker.col.summary": "Summary",
    "picker.invalid": "invalid: press Enter for the problems",
    "picker.hint": "↑↓ choose · Enter open · ? help · q quit",
    "picker.resume.title": "Resume your game?",
    "picker.resume.body": "You have an unfinished game of “{title}” at turn {turn}.",
    "picker.resume.yes": "Resume",
    "picker.resume.no": "Start afresh",
    "picker.resume.changed": "The scenario file has changed since this game was saved. "
                             "Resuming plays the version it was saved with; starting "
                             "afresh plays the file as it is now.",
    "picker.resume.old": "Resume the saved version",
    "picker.resume.gone": "You had an unfinished game of “{title}” at turn {turn}, but "
                          "the scenario file has changed since and that game cannot be "
                          "replayed on it. The game starts afresh.",
    "problems.title": "Problems in {file}",
    "problems.hint": "Fix these in the file, then open it again. Esc to go back.",
    # brief
    "brief.objectives": "Objectives",
    "brief.start": "Start",
    "brief.hint": "↑↓ scroll · s start · esc back",
    "brief.you_are": "You play {name}. {people} in {teams}, {turns}, {acts} per turn.",
    "count.person": "{count} people",
    "count.person.one": "{count} person",
    "count.team": "{count} teams",
    "count.team.one": "{count} team",
    "count.turn": "{count} turns",
    "count.turn.one": "{count} turn",
    "count.act": "{count} acts",
    "count.act.one": "{count} act",
    # game screen
    "game.turn": "Turn {turn}/{turns}",
    "game.over": "Game over",
    "game.acts_left": "{left}/{capacity} acts left",
    "game.map": "Organisation",
    "game.people": "People",
    "game.acts": "Acts",
    "game.objectives": "Objectives",
    "game.log": "What happened",
    "game.you": "you",
    "game.you_object": "you",
    "game.team_size": "{count} people",
    "game.team_size.one": "{count} person",
    "game.team_links": "across: {links}",
    "game.no_links": "no ties to other teams",
    "game.members": "people",
    "game.dilemma_waiting": "A decision is waiting: {title}",
    "game.dilemma_waiting_short": "A decision is waiting",
    "dilemma.hint": "Press 1-{last}, or ↑↓ then enter",
    "game.pick_target": "{act}: whom?",
    "game.pick_team_or_person": "{act}: whom, or which team?",
    "game.pick_promise": "{act}: which promise?",
    "game.pick_first": "{act}: who is the first?",
    "game.pick_second": "{act}: who meets {name}?",
    "game.pick_due": "{act}: due by which turn?",
    "game.pick_what": "{act}: what do you promise {name}?",
    "promise.what": "an answer to their request|time for a proper one-to-one|"
                    "support for their training|a fix for what blocks them|"
                    "a word with the directors",
    "game.pick_hint": "↑↓ Enter · Esc cancels",
    "game.pick_hint_filter": "type to filter · Esc cancels",
    "game.pick_other_team": "someone from another team",
    "game.filtered": "filter: {text} ({shown} of {total}) · Esc clears",
    "game.team_target": "whole team: {team} ({count})",
    "game.trusts_you": "trusts you {value}",
    "game.promise_row": "{what} (to {to}, due turn {due})",
    "game.due_row": "turn {turn}",
    "game.started": "The game begins. Choose an act, or press ? for help.",
    "game.resumed": "Resumed at turn {turn} ({count} acts played so far). u undoes the last.",
    "game.resumed.one": "Resumed at turn {turn} ({count} act played so far). u undoes the "
                        "last.",
    "game.refused": "Not possible: {reason}",
    "game.undone": "Undone: {what}",
    "game.redone": "Redone: {what}",
    "game.nothing_to_undo": "Nothing to undo",
    "game.nothing_to_redo": "Nothing to redo",
    "game.debrief_at_end": "The debrief opens when the game is over (after turn {turns})",
    "game.rewind_later": "There is no earlier turn to go back to yet",
    "game.is_over": "The game is over: press x for the debrief",
    "game.saved": "Saved to {path}",
    "game.save_failed": "Could not save: {error}",
    "game.rewound": "Back at the start of turn {turn}. Your other course is kept for the "
                    "debrief.",
    "game.rewind_title": "Rewind to the start of turn…",
    "game.over_hint": "The game is over: press x for the debrief.",
    "game.highlighted": "changed by your last act",
    # table columns
    "col.name": "Name",
    "col.team": "Team",
    "col.role": "Role",
    "col.trusts_you": "Trusts you",
    "col.you_trust": "You trust",
    "col.competence": "Competence",
    "col.change": "Change",
    # roles
    "role.executive": "executive",
    "role.manager": "manager",
    "role.employee": "employee",
    # person details
    "person.title": "{name}",
    "person.line": "{role} in {team}",
    "person.reports_to": "Reports to {name}",
    "person.traits": "Traits",
    "person.trait.competence": "competence",
    "person.trait.openness": "openness to feedback",
    "person.trait.propensity": "propensity to trust",
    "person.trusted_by": "Who trusts {name}",
    "person.trusts": "Whom {name} trusts",
    "person.promises": "Open promises",
    "person.none": "none",
    "person.close": "Close (esc)",
    "person.bases": "How {name} sees you",
    "person.bases.line": "{ability}, {benevolence}, {integrity}",
    "person.scar": "a scar ({scar}) from being let down slows every gain with them",
    # a team's details, and the brief's cast
    "team.trusts_you": "Trust in you",
    "team.within": "within the team",
    "team.across": "towards other teams",
    "team.members": "People",
    "team.links": "Strongest ties to other teams",
    "brief.cast": "Who is who",
    "brief.cast_more": "… and {count} more: the map shows everyone.",
    # `trustsim play FILE --watch`
    "watch.reloaded": "Reloaded {file}: replayed {done} of {count} acts.",
    "watch.reloaded.one": "Reloaded {file}: replayed {done} of {count} act.",
    "watch.reloaded_none": "Reloaded {file}.",
    "watch.skipped": "“{what}” no longer applies: {reason}",
    "watch.skipped_more": "{count} more steps no longer apply.",
    "watch.skipped_more.one": "{count} more step no longer applies.",
    "watch.invalid": "{file} is not valid now: {problem}. Still playing the last good "
                     "version.",
    "base.ability": "ability",
    "base.benevolence": "benevolence",
    "base.integrity": "integrity",
    # acts (labels as the player sees them)
    "act.delegate": "Delegate",
    "act.quick_win": "Quick win",
    "act.feedback": "Feedback",
    "act.break_promise": "Break promise",
    "act.keep_promise": "Keep promise",
    "act.make_promise": "Promise",
    "act.recognise": "Recognise",
    "act.coach": "Coach",
    "act.connect": "Connect",
    "act.apologise": "Apologise",
    "act.delegate.help": "Hand a report real work: being trusted lifts their trust in you "
                         "now; at the end of the turn it succeeds (likelier with competence "
                         "and your support) or fails, and they may feel set up to fail.",
    "act.quick_win.help": "Deliver something tangible for one person or a team: strongest "
                          "where trust is low, weaker when repeated on the same person.",
    "act.feedback.help": "Honest feedback: helps where they trust you, is heard as "
                         "criticism where trust is low.",
    "act.break_promise.help": "Let a promise go: trust drops hard, the news travels far and "
                              "leaves a scar.",
    "act.keep_promise.help": "Deliver what you promised: integrity that people notice.",
    "act.make_promise.help": "Commit to something for someone, due by a turn you choose.",
    "act.recognise.help": "Appreciate someone's work in public; their team sees it.",
    "act.coach.help": "A one-to-one on a report's growth: trust grows now and later.",
    "act.connect.help": "Bring two people from different teams together: the lever "
                        "against silos.",
    "act.apologise.help": "Own a failure to the person it let down: mends much of what a "
                          "competence failure cost, little of a broken promise.",
    # refusals (by ActNotAllowed.code)
    "why.no_capacity": "no acts left this turn: end the turn",
    "why.game_over": "the game is over",
    "why.dilemma_pending": "first answer the decision that is waiting",
    "why.no_reports": "you have no direct reports",
    "why.no_promises": "you have no open promises",
    "why.one_team": "there is only one team",
    "why.nothing_to_apologise": "nobody has anything to forgive you for",
    "why.too_soon": "a promise counts once it has been open over an end of turn: keep it "
                    "from next turn",
    "why.reporting_line": "they already work together along a reporting line: connect "
                          "bridges peers",
    # causes
    "cause.act": "{act} by {actor}",
    "cause.act.you": "your {act}",
    "cause.act.you.quick_win": "your quick win",
    "cause.act.you.delegate": "your delegated work",
    "cause.heard": "heard it from {teller}",
    "cause.heard_chain": "heard it from {teller}, who heard it from {next}",
    "cause.drift": "drift at end of turn",
    "cause.promise_due": "promise not kept by its due turn",
    "cause.event": "{event}",
    "cause.dilemma": "your choice: {option}",
    "cause.task": "the work you delegated {outcome}",
    "cause.task.other": "the work {actor} delegated {outcome}",
    "cause.task.quick_win": "your quick win {outcome}",
    "outcome.delivered": "was delivered",
    "change.quick_win": "Your quick win for {who} {outcome}",
    "outcome.succeeded": "succeeded",
    "outcome.failed": "failed",
    "outcome.failed without support": "failed, and you had not supported them",
    "outcome.landed well": "landed well",
    "outcome.backfired": "backfired",
    "outcome.handed over": "handed over",
    "outcome.fell flat": "fell flat",
    "outcome.said early": "you said so early",
    "outcome.passed over": "passed over",
    "noun.delegate": "delegated work",
    "noun.quick_win": "quick win",
    "noun.feedback": "feedback",
    "noun.break_promise": "broken promise",
    "noun.keep_promise": "kept promise",
    "noun.make_promise": "promise",
    "noun.recognise": "recognition",
    "noun.coach": "coaching",
    "noun.connect": "introduction",
    "noun.apologise": "apology",
    "change.trust_in_you": "{who} {delta} trust in you: {cause}",
    "change.trust_in_you.base": "{who} {delta} trust in you ({base} {base_delta}): {cause}",
    "change.task": "The work you handed {who} came back: {outcome} (chance {chance}{support})",
    "change.task.support": ", with your support",
    "change.trust": "{who} → {whom} {delta}: {cause}",
    "change.trait": "{who} {trait} {delta}: {cause}",
    "change.tie": "{who} and {whom} now work together more (tie {before} → {after})",
    "change.tie_less": "{who} and {whom} now work together less (tie {before} → {after})",
    "change.ties_more": "{count} working ties grew stronger ({before} → {after} on "
                        "average)",
    "change.ties_more.one": "{count} working tie grew stronger ({before} → {after})",
    "change.ties_less": "{count} working ties grew weaker ({before} → {after} on average)",
    "change.ties_less.one": "{count} working tie grew weaker ({before} → {after})",
    "change.promise": "Promise to {to} “{what}”: {status}",
    "change.more": "… and {count} smaller changes",
    "change.more.one": "… and {count} smaller change",
    "change.more_one": "… and 1 smaller change",
    "status.open": "made",
    "status.kept": "kept",
    "status.broken": "broken",
    "log.act": "{act} → {target}",
    "log.act_outcome": "{act} → {target}: {outcome}",
    "log.end_turn": "End of turn {turn}",
    "log.drift": "Trust drifts: inside teams {within}, across teams {across}; {count} "
                 "unused ties weakened",
    "log.drift.one": "Trust drifts: inside teams {within}, across teams {across}; {count} "
                     "unused tie weakened",
    "log.choice": "You chose: {option}",
    "end_turn.title": "End the turn?",
    "end_turn.body": "You have {count} acts left this turn; acts you do not use are lost.",
    "end_turn.body.one": "You have {count} act left this turn; an act you do not use is "
                         "lost.",
    "end_turn.yes": "End the turn",
    "end_turn.no": "Keep playing",
    "end_turn.always": "n: end it, and stop asking (ctrl+p turns the question back on)",
    "cmd.confirm_end_turn.on": "Ask before ending a turn with acts left: on",
    "cmd.confirm_end_turn.off": "Ask before ending a turn with acts left: off",
    "cmd.confirm_end_turn.help": "Choose to switch it; the choice is remembered.",
    "log.capacity": "This turn you have {count} acts instead of {before}.",
    "log.capacity.one": "This turn you have {count} act instead of {before}.",
    # objectives
    "objective.met": "met",
    "objective.failed": "failed",
    "objective.on_track": "on track",
    "objective.at_risk": "at risk",
    "objective.value": "{value} (target {target}, turn {by})",
    "objective.now": "now {value}",
    "objective.kept": "{value} of {target} kept",
    "objective.broken": "{value} broken",
    "objective.none_broken": "none broken",
    "objective.by": "{value} (turn {by})",
    # end of turn / events
    "turn.title": "End of turn {turn}",
    "turn.nothing": "A quiet turn.",
    "turn.promises_broke": "A promise fell due and broke: “{what}” to {to}.",
    "turn.continue": "Continue",
    "event.choose": "Choose",
    "event.outcome": "What happens next",
    # trends
    "trends.title": "Trends",
    "trends.trust_in_player": "Trust in you",
    "trends.cross_team_trust": "Trust across teams",
    "trends.within_team_trust": "Trust inside teams",
    "trends.ei_mean": "E-I index (mean)",
    "trends.modularity": "Modularity",
    "trends.team": "{team}: trust in you",
    "trends.first_last": "{first} → {last}",
    "trends.legend": "A bar for the start of each turn, and one for now. Trust: 0 to 1. "
                     "E-I index: −1 when all of a team's ties stay inside it (a silo), +1 "
                     "when all reach other teams. Modularity: how far the trust network "
                     "splits along the teams (higher: more siloed).",
    # debrief
    "debrief.title": "Debrief: {title}",
    "debrief.result.won": "All objectives met.",
    "debrief.result.lost": "Not all objectives were met.",
    "debrief.objectives": "Objectives",
    "debrief.turning_points": "Turning points",
    "debrief.turning_point": "Turn {turn}: {what} ({delta})",
    "debrief.turning_point_end": "End of turn {turn}: {what} ({delta})",
    "debrief.turning_points.note": "For each objective, the steps that moved what it "
                                   "measures most, until it was judged. An end of turn "
                                   "includes that turn's drift.",
    "debrief.nothing_moved": "nothing you did moved it",
    "debrief.drift": "drift",
    "debrief.drift_group": "Drift, at {count} ends of turn ({delta} in all)",
    "debrief.act_group": "{act}, {count} times ({delta} in all)",
    "debrief.kept": "{count} kept",
    "debrief.trust_everyone": "Trust in you (everyone)",
    "debrief.objective_row": "{measure} (your objective)",
    "report.session": "session",
    "report.diverged": "diverged at",
    "report.turn": "turn",
    "debrief.team_ei": "{team}: E-I index",
    "debrief.metrics": "From first to last turn",
    "debrief.bases": "What trust in you rests on",
    "debrief.base": "Base",
    "debrief.built": "Built most by",
    "debrief.damaged": "Damaged most by",
    "debrief.bases.note": "Start and end: everyone's view of your ability, benevolence and "
                          "integrity, on average. Built and damaged: the summed change, "
                          "over everyone, direct or heard.",
    "debrief.metric": "Measure",
    "debrief.first": "Start",
    "debrief.last": "End",
    "debrief.branch": "Your other course",
    "debrief.branch_at": "Your other course {n} (turn {turn})",
    "cmd.promise": "“{what}” to {to}",
    "debrief.acts": "Your acts, turn by turn",
    "debrief.turn_acts": "Turn {turn}: {acts}",
    "debrief.no_acts": "nothing",
    "debrief.questions": "Questions to discuss",
    "debrief.exported": "Debrief written to {path}",
    "debrief.session_saved": "Session saved for your trainer: {path}",
    # commands (footer label, help text)
    "cmd.quick_win": "Quick win",
    "cmd.delegate": "Delegate",
    "cmd.feedback": "Feedback",
    "cmd.break_promise": "Break",
    "cmd.keep_promise": "Keep",
    "cmd.make_promise": "Promise",
    "cmd.recognise": "Recognise",
    "cmd.coach": "Coach",
    "cmd.connect": "Connect",
    "cmd.apologise": "Apologise",
    "cmd.end_turn": "End turn",
    "cmd.end_turn.help": "Close the turn: trust drifts, promises fall due, events happen.",
    "cmd.undo": "Undo",
    "cmd.undo.help": "Take back your last act (or the end of the turn).",
    "cmd.redo": "Redo",
    "cmd.redo.help": "Do again what you took back.",
    "cmd.save": "Save",
    "cmd.save.help": "Save the game now (it also saves itself every turn).",
    "cmd.trends": "Trends",
    "cmd.trends.help": "Trust and silo measures over the turns.",
    "cmd.view": "Table",
    "cmd.sort": "Sort",
    "cmd.sort.help": "In the people table: sort by the next column (a click on a header "
                     "sorts by it).",
    "cmd.view.help": "Switch between the organisation map and the people table.",
    "cmd.log_older": "Log back",
    "cmd.log_older.help": "Scroll the log back to earlier lines (the mouse wheel does too).",
    "cmd.log_newer": "Log on",
    "cmd.log_newer.help": "Scroll the log on to the newest lines.",
    "cmd.details": "Details",
    "cmd.details.help": "Who trusts the selected person, whom they trust, their traits and "
                        "open promises; on a team's name, the team: its description, "
                        "trust and people.",
    "cmd.rewind": "Rewind",
    "cmd.rewind.help": "Go back to the start of an earlier turn and try another course.",
    "cmd.debrief": "Debrief",
    "cmd.debrief.help": "The debrief (when the game is over).",
    "cmd.help": "Help",
    "cmd.help.help": "Every key, and what it does.",
    "cmd.theme": "Theme",
    "cmd.theme.help": "Switch between dark and light.",
    "cmd.quit": "Quit",
    "cmd.quit.help": "Leave the game (it is saved; you can resume it).",
    "cmd.back": "Back",
    "cmd.export": "Export",
    "cmd.export.help": "Write the debrief as Markdown and save the session for your trainer.",
    "help.title": "Keys",
    "help.bases": "(moves {bases})",
    "help.key": "Key",
    "help.command": "Command",
    "help.what": "What it does",
    "help.close": "Esc closes this help.",
    "help.palette": "Commands",
    "palette.placeholder": "Search for a command…",
    "help.palette.help": "The command palette: every command by name.",
    "help.map": "Map",
    "help.map.help": "Move through the people and teams; ←→ go to the next column of "
                     "teams.",
    "help.fold": "Fold",
    "help.fold.help": "In a large organisation: open or close a team (enter does too).",
    "help.type": "letters",
    "help.filter": "Filter",
    "help.filter.help": "While you choose whom an act is for: narrow the list down by name "
                        "or team; Esc cancels.",
    "help.symbols": "On the map",
    "help.symbols.trust": "How much someone trusts you: {bands}; the number says it "
                          "exactly.",
    "help.band_under": "{symbol} under {limit}",
    "help.band_from": "{symbol} from {limit}",
    "help.symbols.moved": "▲+0.05 ▼-0.02: how far that trust moved with your last act; ◆ "
                          "marks who it moved. ★ is you; ↔ a team's strongest links to "
                          "other teams, with their mean trust.",
    "help.picker.move": "Move through the scenarios; home and end go to the first and last.",
    "help.picker.open_label": "Open",
    "help.picker.open": "Open the scenario's brief (or the problems of an invalid file).",
    "help.picker.quit": "Quit trustsim.",
    "help.picker.game": "In a game, ? lists the game's keys.",
    "key.space": "space",
    "key.enter": "enter",
    "key.escape": "esc",
    # errors
    "error.title": "Something went wrong",
    "save.unreadable": "Your saved game could not be read. It is kept, unchanged, as {path}; "
                       "this game starts afresh.",
    "error.body": "trustsim hit an unexpected problem: {error}. Your game is saved. "
                  "Details are in {log}.",
}

NL: dict[str, str] = {
    "number.decimal": ",",
    "app.title": "trustsim",
    "app.subtitle": "vertrouwen en silo's op het werk",
    "picker.title": "Kies een scenario",
    "picker.col.title": "Scenario",
    "picker.col.language": "Taal",
    "picker.col.people": "Mensen",
    "picker.col.turns": "Beurten",
    "picker.col.summary": "Samenvatting",
    "picker.invalid": "ongeldig: druk Enter voor de problemen",
    "picker.hint": "↑↓ kiezen · Enter openen · ? hulp · q stoppen",
    "picker.resume.title": "Verder spelen?",
    "picker.resume.body": "Je hebt een onafgemaakt spel van “{title}” in beurt {turn}.",
    "picker.resume.yes": "Verder spelen",
    "picker.resume.no": "Opnieuw beginnen",
    "picker.resume.changed": "Het scenariobestand is veranderd sinds dit spel werd "
                             "bewaard. Verder spelen speelt de versie waarmee het werd "
                             "bewaard; opnieuw beginnen speelt het bestand zoals het nu is.",
    "picker.resume.old": "Bewaarde versie spelen",
    "picker.resume.gone": "Je had een onafgemaakt spel van “{title}” in beurt {turn}, maar "
                          "het scenariobestand is sindsdien veranderd en dat spel kan er "
                          "niet op worden nagespeeld. Het spel begint opnieuw.",
    "problems.title": "Problemen in {file}",
    "problems.hint": "Verbeter ze in het bestand en open het opnieuw. Esc om terug te gaan.",
    "brief.objectives": "Doelen",
    "brief.start": "Beginnen",
    "brief.hint": "↑↓ scrollen · s beginnen · esc terug",
    "brief.you_are": "Je speelt {name}. {people} in {teams}, {turns}, {acts} per beurt.",
    "count.person": "{count} mensen",
    "count.person.one": "{count} persoon",
    "count.team": "{count} teams",
    "count.team.one": "{count} team",
    "count.turn": "{count} beurten",
    "count.turn.one": "{count} beurt",
    "count.act": "{count} acties",
    "count.act.one": "{count} actie",
    "game.turn": "Beurt {turn}/{turns}",
    "game.over": "Spel voorbij",
    "game.acts_left": "nog {left}/{capacity} acties",
    "game.map": "Organisatie",
    "game.people": "Mensen",
    "game.acts": "Acties",
    "game.objectives": "Doelen",
    "game.log": "Wat er gebeurde",
    "game.you": "jij",
    "game.you_object": "jou",
    "game.team_size": "{count} mensen",
    "game.team_size.one": "{count} persoon",
    "game.team_links": "over de grens: {links}",
    "game.no_links": "geen banden met andere teams",
    "game.members": "mensen",
    "game.dilemma_waiting": "Er wacht een beslissing: {title}",
    "game.dilemma_waiting_short": "Er wacht een beslissing",
    "dilemma.hint": "Druk 1-{last}, of ↑↓ en dan enter",
    "game.pick_target": "{act}: wie?",
    "game.pick_team_or_person": "{act}: wie, of welk team?",
    "game.pick_promise": "{act}: welke belofte?",
    "game.pick_first": "{act}: wie is de eerste?",
    "game.pick_second": "{act}: wie ontmoet {name}?",
    "game.pick_due": "{act}: uiterlijk in welke beurt?",
    "game.pick_what": "{act}: wat beloof je {name}?",
    "promise.what": "een antwoord op hun verzoek|tijd voor een echt gesprek|"
                    "steun voor hun training|hulp bij wat hen tegenhoudt|"
                    "een goed woord bij de directie",
    "game.pick_hint": "↑↓ Enter · Esc stopt",
    "game.pick_hint_filter": "typ om te filteren · Esc stopt",
    "game.pick_other_team": "iemand uit een ander team",
    "game.filtered": "filter: {text} ({shown} van {total}) · Esc wist",
    "game.team_target": "heel team: {team} ({count})",
    "game.trusts_you": "vertrouwt je {value}",
    "game.promise_row": "{what} (aan {to}, uiterlijk beurt {due})",
    "game.due_row": "beurt {turn}",
    "game.started": "Het spel begint. Kies een actie, of druk ? voor hulp.",
    "game.resumed": "Verder in beurt {turn} ({count} acties tot nu toe). u maakt de laatste "
                    "ongedaan.",
    "game.resumed.one": "Verder in beurt {turn} ({count} actie tot nu toe). u maakt de "
                        "laatste ongedaan.",
    "game.refused": "Niet mogelijk: {reason}",
    "game.undone": "Ongedaan gemaakt: {what}",
    "game.redone": "Opnieuw gedaan: {what}",
    "game.nothing_to_undo": "Niets om ongedaan te maken",
    "game.nothing_to_redo": "Niets om opnieuw te doen",
    "game.debrief_at_end": "De nabespreking opent als het spel voorbij is (na beurt {turns})",
    "game.rewind_later": "Er is nog geen eerdere beurt om naar terug te gaan",
    "game.is_over": "Het spel is voorbij: druk x voor de nabespreking",
    "game.saved": "Opgeslagen in {path}",
    "game.save_failed": "Opslaan mislukt: {error}",
    "game.rewound": "Terug aan het begin van beurt {turn}. Je andere koers blijft bewaard "
                    "voor de nabespreking.",
    "game.rewind_title": "Terug naar het begin van beurt…",
    "game.over_hint": "Het spel is voorbij: druk x voor de nabespreking.",
    "game.highlighted": "veranderd door je laatste actie",
    "col.name": "Naam",
    "col.team": "Team",
    "col.role": "Rol",
    "col.trusts_you": "Vertrouwt jou",
    "col.you_trust": "Jij vertrouwt",
    "col.competence": "Bekwaamheid",
    "col.change": "Verschil",
    "role.executive": "directie",
    "role.manager": "leidinggevende",
    "role.employee": "medewerker",
    "person.title": "{name}",
    "person.line": "{role} in {team}",
    "person.reports_to": "Rapporteert aan {name}",
    "person.traits": "Eigenschappen",
    "person.trait.competence": "bekwaamheid",
    "person.trait.openness": "openheid voor feedback",
    "person.trait.propensity": "geneigdheid om te vertrouwen",
    "person.trusted_by": "Vertrouwen in {name}",
    "person.trusts": "{name} vertrouwt",
    "person.promises": "Open beloften",
    "person.none": "geen",
    "person.close": "Sluiten (esc)",
    "person.bases": "Hoe {name} jou ziet",
    "person.bases.line": "{ability}, {benevolence}, {integrity}",
    "person.scar": "een litteken ({scar}) van een teleurstelling remt elke winst bij hen",
    "team.trusts_you": "Vertrouwen in jou",
    "team.within": "binnen het team",
    "team.across": "naar andere teams",
    "team.members": "Mensen",
    "team.links": "Sterkste banden met andere teams",
    "brief.cast": "Wie is wie",
    "brief.cast_more": "… en nog {count}: de kaart toont iedereen.",
    "watch.reloaded": "{file} opnieuw geladen: {done} van {count} acties opnieuw gespeeld.",
    "watch.reloaded.one": "{file} opnieuw geladen: {done} van {count} actie opnieuw gespeeld.",
    "watch.reloaded_none": "{file} opnieuw geladen.",
    "watch.skipped": "“{what}” kan niet meer: {reason}",
    "watch.skipped_more": "Nog {count} stappen kunnen niet meer.",
    "watch.skipped_more.one": "Nog {count} stap kan niet meer.",
    "watch.invalid": "{file} is nu niet geldig: {problem}. Je speelt verder met de laatste "
                     "goede versie.",
    "base.ability": "kunde",
    "base.benevolence": "welwillendheid",
    "base.integrity": "integriteit",
    "act.delegate": "Delegeren",
    "act.quick_win": "Snel succes",
    "act.feedback": "Feedback",
    "act.break_promise": "Belofte breken",
    "act.keep_promise": "Belofte nakomen",
    "act.make_promise": "Beloven",
    "act.recognise": "Waarderen",
    "act.coach": "Coachen",
    "act.connect": "Verbinden",
    "act.apologise": "Excuses maken",
    "act.delegate.help": "Geef een medewerker echt werk: vertrouwd worden vergroot nu hun "
                         "vertrouwen in jou; aan het eind van de beurt lukt het "
                         "(waarschijnlijker met bekwaamheid en jouw steun) of mislukt het.",
    "act.quick_win.help": "Lever iets tastbaars voor één persoon of een team: het sterkst "
                          "waar het vertrouwen laag is, zwakker bij herhaling.",
    "act.feedback.help": "Eerlijke feedback: helpt waar men je vertrouwt, klinkt als kritiek "
                         "waar het vertrouwen laag is.",
    "act.break_promise.help": "Laat een belofte los: het vertrouwen zakt hard, het nieuws "
                              "reist ver en laat een litteken na.",
    "act.keep_promise.help": "Doe wat je beloofde: integriteit die mensen opmerken.",
    "act.make_promise.help": "Beloof iemand iets, uiterlijk in een beurt die jij kiest.",
    "act.recognise.help": "Waardeer iemands werk in het openbaar; hun team ziet het.",
    "act.coach.help": "Een gesprek over de groei van een medewerker: vertrouwen groeit nu "
                      "en later.",
    "act.connect.help": "Breng twee mensen uit verschillende teams samen: de hefboom tegen "
                        "silo's.",
    "act.apologise.help": "Erken een fout tegenover wie je teleurstelde: herstelt veel na "
                          "een fout in kunde, weinig na een gebroken belofte.",
    "why.no_capacity": "geen acties meer deze beurt: beëindig de beurt",
    "why.game_over": "het spel is voorbij",
    "why.dilemma_pending": "beantwoord eerst de beslissing die wacht",
    "why.no_reports": "je hebt geen directe medewerkers",
    "why.no_promises": "je hebt geen open beloften",
    "why.one_team": "er is maar één team",
    "why.nothing_to_apologise": "niemand heeft je iets te vergeven",
    "why.too_soon": "een belofte telt pas als ze een beurt open heeft gestaan: kom haar "
                    "vanaf de volgende beurt na",
    "why.reporting_line": "zij werken al samen via een rapportagelijn: verbinden slaat een "
                          "brug tussen collega's",
    "cause.act": "{act} door {actor}",
    "cause.act.you": "jouw {act}",
    "cause.act.you.quick_win": "jouw snelle succes",
    "cause.act.you.delegate": "jouw gedelegeerde werk",
    "cause.heard": "hoorde het van {teller}",
    "cause.heard_chain": "hoorde het van {teller}, die het hoorde van {next}",
    "cause.drift": "verloop aan het eind van de beurt",
    "cause.promise_due": "belofte niet op tijd nagekomen",
    "cause.event": "{event}",
    "cause.dilemma": "jouw keuze: {option}",
    "cause.task": "het werk dat je overdroeg is {outcome}",
    "cause.task.other": "het werk dat {actor} overdroeg is {outcome}",
    "cause.task.quick_win": "je snelle succes {outcome}",
    "outcome.delivered": "is geleverd",
    "change.quick_win": "Je snelle succes voor {who} {outcome}",
    "outcome.succeeded": "gelukt",
    "outcome.failed": "mislukt",
    "outcome.failed without support": "mislukt, en je had geen steun gegeven",
    "outcome.landed well": "kwam goed aan",
    "outcome.backfired": "viel verkeerd",
    "outcome.handed over": "overgedragen",
    "outcome.fell flat": "kwam niet aan",
    "outcome.said early": "je zei het op tijd",
    "outcome.passed over": "gepasseerd",
    "noun.delegate": "gedelegeerd werk",
    "noun.quick_win": "snel succes",
    "noun.feedback": "feedback",
    "noun.break_promise": "gebroken belofte",
    "noun.keep_promise": "nagekomen belofte",
    "noun.make_promise": "belofte",
    "noun.recognise": "waardering",
    "noun.coach": "coaching",
    "noun.connect": "kennismaking",
    "noun.apologise": "excuses",
    "change.trust_in_you": "{who} {delta} vertrouwen in jou: {cause}",
    "change.trust_in_you.base": "{who} {delta} vertrouwen in jou ({base} {base_delta}): "
                                "{cause}",
    "change.task": "Het werk dat je {who} gaf is terug: {outcome} (kans {chance}{support})",
    "change.task.support": ", met jouw steun",
    "change.trust": "{who} → {whom} {delta}: {cause}",
    "change.trait": "{who} {trait} {delta}: {cause}",
    "change.tie": "{who} en {whom} werken nu meer samen (band {before} → {after})",
    "change.tie_less": "{who} en {whom} werken nu minder samen (band {before} → {after})",
    "change.ties_more": "{count} werkrelaties werden sterker (gemiddeld {before} → {after})",
    "change.ties_more.one": "{count} werkrelatie werd sterker ({before} → {after})",
    "change.ties_less": "{count} werkrelaties werden zwakker (gemiddeld {before} → {after})",
    "change.ties_less.one": "{count} werkrelatie werd zwakker ({before} → {after})",
    "change.promise": "Belofte aan {to} “{what}”: {status}",
    "change.more": "… en nog {count} kleinere veranderingen",
    "change.more.one": "… en nog {count} kleinere verandering",
    "change.more_one": "… en nog 1 kleinere verandering",
    "status.open": "toegezegd",
    "status.kept": "nagekomen",
    "status.broken": "gebroken",
    "log.act": "{act} → {target}",
    "log.act_outcome": "{act} → {target}: {outcome}",
    "log.end_turn": "Einde van beurt {turn}",
    "log.drift": "Vertrouwen verschuift: binnen teams {within}, tussen teams {across}; "
                 "{count} ongebruikte banden verzwakt",
    "log.drift.one": "Vertrouwen verschuift: binnen teams {within}, tussen teams {across}; "
                     "{count} ongebruikte band verzwakt",
    "log.choice": "Je koos: {option}",
    "end_turn.title": "Beurt beëindigen?",
    "end_turn.body": "Je hebt deze beurt nog {count} acties; acties die je niet gebruikt, "
                     "vervallen.",
    "end_turn.body.one": "Je hebt deze beurt nog {count} actie; een actie die je niet "
                         "gebruikt, vervalt.",
    "end_turn.yes": "Beurt beëindigen",
    "end_turn.no": "Verder spelen",
    "end_turn.always": "n: beëindigen, en niet meer vragen (ctrl+p zet de vraag weer aan)",
    "cmd.confirm_end_turn.on": "Vragen voor een beurt met acties over eindigt: aan",
    "cmd.confirm_end_turn.off": "Vragen voor een beurt met acties over eindigt: uit",
    "cmd.confirm_end_turn.help": "Kies om het om te zetten; de keuze wordt onthouden.",
    "log.capacity": "Deze beurt heb je {count} acties in plaats van {before}.",
    "log.capacity.one": "Deze beurt heb je {count} actie in plaats van {before}.",
    "objective.met": "gehaald",
    "objective.failed": "niet gehaald",
    "objective.on_track": "op koers",
    "objective.at_risk": "in gevaar",
    "objective.value": "{value} (doel {target}, beurt {by})",
    "objective.now": "nu {value}",
    "objective.kept": "{value} van {target} nagekomen",
    "objective.broken": "{value} gebroken",
    "objective.none_broken": "geen gebroken",
    "objective.by": "{value} (beurt {by})",
    "turn.title": "Einde van beurt {turn}",
    "turn.nothing": "Een rustige beurt.",
    "turn.promises_broke": "Een belofte verliep en brak: “{what}” aan {to}.",
    "turn.continue": "Verder",
    "event.choose": "Kies",
    "event.outcome": "Wat er nu gebeurt",
    "trends.title": "Verloop",
    "trends.trust_in_player": "Vertrouwen in jou",
    "trends.cross_team_trust": "Vertrouwen tussen teams",
    "trends.within_team_trust": "Vertrouwen binnen teams",
    "trends.ei_mean": "E-I-index (gemiddeld)",
    "trends.modularity": "Modulariteit",
    "trends.team": "{team}: vertrouwen in jou",
    "trends.first_last": "{first} → {last}",
    "trends.legend": "Een balk voor het begin van elke beurt, en een voor nu. Vertrouwen: "
                     "0 tot 1. E-I-index: −1 als alle banden van een team binnen het team "
                     "blijven (een silo), +1 als ze alle naar andere teams gaan. "
                     "Modulariteit: hoe sterk het vertrouwensnetwerk langs de teams "
                     "uiteenvalt (hoger: meer silo's).",
    "debrief.title": "Nabespreking: {title}",
    "debrief.result.won": "Alle doelen gehaald.",
    "debrief.result.lost": "Niet alle doelen zijn gehaald.",
    "debrief.objectives": "Doelen",
    "debrief.turning_points": "Keerpunten",
    "debrief.turning_point": "Beurt {turn}: {what} ({delta})",
    "debrief.turning_point_end": "Eind van beurt {turn}: {what} ({delta})",
    "debrief.turning_points.note": "Per doel de stappen die het meest bewogen wat het "
                                   "meet, tot het werd beoordeeld. Het eind van een beurt "
                                   "telt het verloop van die beurt mee.",
    "debrief.nothing_moved": "niets wat je deed bewoog het",
    "debrief.drift": "verloop",
    "debrief.drift_group": "Verloop, aan het eind van {count} beurten ({delta} in totaal)",
    "debrief.act_group": "{act}, {count} keer ({delta} in totaal)",
    "debrief.kept": "{count} nagekomen",
    "debrief.trust_everyone": "Vertrouwen in jou (iedereen)",
    "debrief.objective_row": "{measure} (jouw doel)",
    "report.session": "sessie",
    "report.diverged": "week af in beurt",
    "report.turn": "beurt",
    "debrief.team_ei": "{team}: E-I-index",
    "debrief.metrics": "Van eerste tot laatste beurt",
    "debrief.bases": "Waar het vertrouwen in jou op rust",
    "debrief.base": "Basis",
    "debrief.built": "Het meest opgebouwd door",
    "debrief.damaged": "Het meest beschadigd door",
    "debrief.bases.note": "Begin en eind: hoe iedereen gemiddeld jouw kunde, "
                          "welwillendheid en integriteit ziet. Opgebouwd en beschadigd: de "
                          "opgetelde verandering over iedereen, rechtstreeks of gehoord.",
    "debrief.metric": "Maat",
    "debrief.first": "Begin",
    "debrief.last": "Eind",
    "debrief.branch": "Je andere koers",
    "debrief.branch_at": "Je andere koers {n} (beurt {turn})",
    "cmd.promise": "“{what}” aan {to}",
    "debrief.acts": "Je acties, beurt voor beurt",
    "debrief.turn_acts": "Beurt {turn}: {acts}",
    "debrief.no_acts": "niets",
    "debrief.questions": "Vragen om te bespreken",
    "debrief.exported": "Nabespreking geschreven naar {path}",
    "debrief.session_saved": "Sessie bewaard voor je trainer: {path}",
    "cmd.quick_win": "Snel succes",
    "cmd.delegate": "Delegeren",
    "cmd.feedback": "Feedback",
    "cmd.break_promise": "Breken",
    "cmd.keep_promise": "Nakomen",
    "cmd.make_promise": "Beloven",
    "cmd.recognise": "Waarderen",
    "cmd.coach": "Coachen",
    "cmd.connect": "Verbinden",
    "cmd.apologise": "Excuses maken",
    "cmd.end_turn": "Beurt klaar",
    "cmd.end_turn.help": "Sluit de beurt af: vertrouwen verloopt, beloften vervallen, er "
                         "gebeurt iets.",
    "cmd.undo": "Terug",
    "cmd.undo.help": "Neem je laatste actie terug (of het einde van de beurt).",
    "cmd.redo": "Opnieuw",
    "cmd.redo.help": "Doe opnieuw wat je terugnam.",
    "cmd.save": "Opslaan",
    "cmd.save.help": "Sla het spel nu op (het slaat zichzelf ook elke beurt op).",
    "cmd.trends": "Verloop",
    "cmd.trends.help": "Vertrouwen en silo-maten over de beurten.",
    "cmd.view": "Tabel",
    "cmd.sort": "Sorteren",
    "cmd.sort.help": "In de tabel met mensen: sorteren op de volgende kolom (een klik op "
                     "een kop sorteert daarop).",
    "cmd.view.help": "Wissel tussen de organisatiekaart en de tabel met mensen.",
    "cmd.log_older": "Log terug",
    "cmd.log_older.help": "Het logboek terugrollen naar eerdere regels (het muiswiel kan ook).",
    "cmd.log_newer": "Log verder",
    "cmd.log_newer.help": "Het logboek verder rollen naar de nieuwste regels.",
    "cmd.details": "Details",
    "cmd.details.help": "Wie de gekozen persoon vertrouwt, wie zij vertrouwen, hun "
                        "eigenschappen en open beloften; op de naam van een team: het "
                        "team, met zijn beschrijving, vertrouwen en mensen.",
    "cmd.rewind": "Terugspoelen",
    "cmd.rewind.help": "Ga terug naar het begin van een eerdere beurt en probeer een andere "
                       "koers.",
    "cmd.debrief": "Nabespreking",
    "cmd.debrief.help": "De nabespreking (als het spel voorbij is).",
    "cmd.help": "Hulp",
    "cmd.help.help": "Alle toetsen en wat ze doen.",
    "cmd.theme": "Thema",
    "cmd.theme.help": "Wissel tussen donker en licht.",
    "cmd.quit": "Stoppen",
    "cmd.quit.help": "Verlaat het spel (het is opgeslagen; je kunt verder spelen).",
    "cmd.back": "Terug",
    "cmd.export": "Exporteren",
    "cmd.export.help": "Schrijf de nabespreking als Markdown en bewaar de sessie voor je "
                       "trainer.",
    "help.title": "Toetsen",
    "help.bases": "(raakt {bases})",
    "help.key": "Toets",
    "help.command": "Opdracht",
    "help.what": "Wat het doet",
    "help.close": "Esc sluit deze hulp.",
    "help.palette": "Opdrachten",
    "palette.placeholder": "Zoek een opdracht…",
    "help.palette.help": "Het opdrachtenpalet: elke opdracht bij naam.",
    "help.map": "Kaart",
    "help.map.help": "Door de mensen en teams bewegen; ←→ naar de volgende kolom teams.",
    "help.fold": "Vouwen",
    "help.fold.help": "In een grote organisatie: een team open- of dichtklappen (enter kan "
                      "ook).",
    "help.type": "letters",
    "help.filter": "Filteren",
    "help.filter.help": "Terwijl je kiest voor wie een actie is: de lijst inperken op naam "
                        "of team; Esc stopt.",
    "help.symbols": "Op de kaart",
    "help.symbols.trust": "Hoeveel iemand je vertrouwt: {bands}; het getal zegt het "
                          "precies.",
    "help.band_under": "{symbol} onder {limit}",
    "help.band_from": "{symbol} vanaf {limit}",
    "help.symbols.moved": "▲+0,05 ▼-0,02: hoeveel dat vertrouwen bewoog door je laatste "
                          "actie; ◆ markeert bij wie. ★ ben jij; ↔ de sterkste banden van een "
                          "team met andere teams, met hun gemiddelde vertrouwen.",
    "help.picker.move": "Door de scenario's bewegen; home en end gaan naar het eerste en "
                        "het laatste.",
    "help.picker.open_label": "Openen",
    "help.picker.open": "De briefing van het scenario openen (of de problemen van een "
                        "ongeldig bestand).",
    "help.picker.quit": "trustsim afsluiten.",
    "help.picker.game": "In een spel toont ? de toetsen van het spel.",
    "key.space": "spatie",
    "key.enter": "enter",
    "key.escape": "esc",
    "error.title": "Er ging iets mis",
    "save.unreadable": "Je opgeslagen spel kon niet worden gelezen. Het is onveranderd "
                       "bewaard als {path}; dit spel begint opnieuw.",
    "error.body": "trustsim liep tegen een onverwacht probleem aan: {error}. Je spel is "
                  "opgeslagen. Details staan in {log}.",
}

CATALOGS: dict[str, Mapping[str, str]] = {"en": EN, "nl": NL}


def language_of(code: str | None) -> str:
    """The catalogue for a language code (``nl-BE`` -> ``nl``), English if unknown."""
    base = (code or "en").split("-")[0].split("_")[0].lower()
    return base if base in CATALOGS else "en"


def number(value: float, spec: str = ".2f") -> str:
    """``format(value, spec)`` without the sign of a value that rounds to zero: a change
    of -0.0001 reads ``0.000``, not ``-0.000`` (nor ``+0.000``).

    >>> number(-0.0001, "+.3f"), number(0.0004, "+.3f"), number(-0.25, "+.2f")
    ('0.000', '0.000', '-0.25')
    """
    text = format(value, spec)
    if math.isfinite(value) and text[:1] in "+-" \
            and not any(digit in text for digit in "123456789"):
        return text[1:]
    return text


class Messages:
    """Formatted messages in one language.

    A message given ``count=1`` uses the key's singular form (``KEY.one``) where the
    catalogue has one: ``t("game.team_size", count=1)`` is "1 person", not "1 people".

    >>> Messages("nl")("game.turn", turn=1, turns=8)
    'Beurt 1/8'
    >>> Messages("en")("game.team_size", count=1), Messages("en")("game.team_size", count=3)
    ('1 person', '3 people')
    """

    def __init__(self, language: str | None = "en") -> None:
        self.language = language_of(language)
        self._catalog = CATALOGS[self.language]

    def __call__(self, key: str, **values: Any) -> str:
        if values.get("count") == 1 and f"{key}.one" in EN:
            key = f"{key}.one"
        template = self._catalog.get(key) or EN.get(key) or key
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return template

    def has(self, key: str) -> bool:
        return key in self._catalog

    def count(self, noun: str, n: int) -> str:
        """``n`` and a noun, singular or plural: ``count("act", 1)`` is "1 act".

        >>> Messages("nl").count("turn", 1), Messages("nl").count("turn", 8)
        ('1 beurt', '8 beurten')
        """
        return self(f"count.{noun}", count=n)

    def num(self, value: float | None, spec: str = ".2f") -> str:
        """A number as this language writes it (``0,30`` in Dutch); ``–`` for none; a value
        that rounds to zero has no sign (``0.000``, never ``-0.000``)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        text = number(value, spec)
        decimal = self._catalog.get("number.decimal", ".")
        return text.replace(".", decimal) if decimal != "." else text
