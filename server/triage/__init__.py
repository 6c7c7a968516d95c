"""Triage: a client's protocol decides urgency, action, order type, trade and labour time.

Plain Python, no web framework or database: the HTTP and storage layers call these.
"""

from server.triage.checks import check_protocol
from server.triage.client_calendar import ClientCalendar
from server.triage.conditions import ConditionResult, evaluate_condition
from server.triage.default import default_protocol, default_protocol_text
from server.triage.errors import ProtocolError, ProtocolFormatError, TriageError
from server.triage.evaluation import evaluate
from server.triage.loading import load_protocol, locate
from server.triage.model import (
    Branch,
    Condition,
    Escalation,
    Option,
    Outcome,
    Protocol,
    Question,
    Subject,
    Target,
)
from server.triage.office import next_opening
from server.triage.problems import Problem
from server.triage.result import AnswerStep, ConditionStep, Evaluation, PathStep
from server.triage.serialise import evaluation_to_dict
from server.triage.wording import read_back, render_description
from server.triage.writing import dump_protocol, protocol_to_dict

__all__ = [
    "AnswerStep",
    "Branch",
    "ClientCalendar",
    "Condition",
    "ConditionResult",
    "ConditionStep",
    "Escalation",
    "Evaluation",
    "Option",
    "Outcome",
    "PathStep",
    "Problem",
    "Protocol",
    "ProtocolError",
    "ProtocolFormatError",
    "Question",
    "Subject",
    "Target",
    "TriageError",
    "check_protocol",
    "default_protocol",
    "default_protocol_text",
    "dump_protocol",
    "evaluate",
    "evaluate_condition",
    "evaluation_to_dict",
    "load_protocol",
    "locate",
    "next_opening",
    "protocol_to_dict",
    "read_back",
    "render_description",
]
