"""Role-play training with simulated upset customers (DESIGN.md layer 6).

>>> from heard.simulate import Practice, load_scenarios
>>> p = Practice.start(load_scenarios()["retail_missed_sofa"], difficulty="medium", seed=1)
>>> [line.at for line in p.opening][0]
0.0
"""

from heard.errors import ScenarioError
from heard.simulate.coaching import Debrief, Tip
from heard.simulate.mood import Mood, MoodChange
from heard.simulate.phrasing import Phrasing
from heard.simulate.practice import Line, Practice, PracticeTurn
from heard.simulate.scenario import DIFFICULTIES, DOMAINS, Scenario, load_scenarios, parse_scenario

__all__ = [
    "DIFFICULTIES",
    "DOMAINS",
    "Debrief",
    "Line",
    "Mood",
    "MoodChange",
    "Phrasing",
    "Practice",
    "PracticeTurn",
    "Scenario",
    "ScenarioError",
    "Tip",
    "load_scenarios",
    "parse_scenario",
]
