"""The quiz area: the scenario bank in the database, learners' attempts and their grading,
and the educators' review of automatic grades.

Rows meet the pure `quizzes` package here: rows become `Scenario`/`Rubric` dataclasses (cached per
key, version and fingerprint), are graded with `quizzes.grade`, and results are stored as JSON.

- `common`       QuizError, AttemptNotAllowed, limits, time helpers
- `bank`         rows <-> dataclasses, latest versions, export, listing
- `bank_files`   which files an import reads (folders, loose files, what is skipped)
- `bank_import`  `import_bank` (all or nothing), `setup_bank`
- `status`       attempt policy, windows, a learner's status and summaries
- `attempts`     start (draw), save an answer, submit (graded exactly once), question pages
- `results`      the result page and what the quiz's review options show
- `review`       the educators' queue, applying reviews, the daily digest
- `grade_cli`    `postrx scenarios grade`: grading answers from the command line / JSONL

Services never commit: the view or CLI command owns the transaction (`app.db_tx.transaction`).
"""

from __future__ import annotations

from app.services.quiz.attempts import (
    QuestionView,
    clear_provisional_pass,
    get_attempt_for,
    questions,
    quiz_result,
    save_answer,
    scenario_rows,
    start_attempt,
    start_for_user,
    submit_attempt,
)
from app.services.quiz.bank import (
    bank_listing,
    data_to_yaml,
    export_bank,
    latest_rubric_row,
    latest_rubrics,
    latest_scenario,
    latest_scenarios,
    load_rubric,
    load_scenario,
    quiz_object,
)
from app.services.quiz.bank_files import (
    NOT_IN_BANK,
    YAML_SUFFIXES,
)
from app.services.quiz.bank_import import (
    ImportReport,
    import_bank,
    new_scenario_row,
    setup_bank,
)
from app.services.quiz.common import (
    MAX_TEXT,
    TEXT_TYPES,
    AttemptNotAllowed,
    QuizError,
)
from app.services.quiz.grade_cli import (
    Answer,
    AnswerError,
    ScenarioSource,
    answer_problem,
    grade_answer,
    grade_answers,
    grade_jsonl,
    read_jsonl,
    result_record,
    scenario_source,
)
from app.services.quiz.results import (
    CriterionView,
    ResultPage,
    ScenarioReview,
    quiz_title,
    result_page,
    review_items,
)
from app.services.quiz.review import (
    AnswerReview,
    CriterionToReview,
    QueueItem,
    QueueSummary,
    ReviewError,
    answer_review,
    answers_needing_review,
    apply_review,
    apply_reviews,
    queue,
    queue_summary,
    reviewable_answer,
    send_digest,
    submit_review,
)
from app.services.quiz.status import (
    LandingPage,
    QuizStatus,
    all_definitions,
    current_learner_enrollment,
    landing,
    learner_enrollment,
    learner_summary,
    module_quiz_card,
    quiz_definition,
    quiz_for_module,
    quiz_status,
    quiz_summary,
    required_quizzes_passed,
)

__all__ = [
    "MAX_TEXT",
    "NOT_IN_BANK",
    "TEXT_TYPES",
    "YAML_SUFFIXES",
    "Answer",
    "AnswerError",
    "AnswerReview",
    "AttemptNotAllowed",
    "CriterionToReview",
    "CriterionView",
    "ImportReport",
    "LandingPage",
    "QuestionView",
    "QueueItem",
    "QueueSummary",
    "QuizError",
    "QuizStatus",
    "ResultPage",
    "ReviewError",
    "ScenarioReview",
    "ScenarioSource",
    "all_definitions",
    "answer_problem",
    "answer_review",
    "answers_needing_review",
    "apply_review",
    "apply_reviews",
    "bank_listing",
    "clear_provisional_pass",
    "current_learner_enrollment",
    "data_to_yaml",
    "export_bank",
    "get_attempt_for",
    "grade_answer",
    "grade_answers",
    "grade_jsonl",
    "import_bank",
    "landing",
    "latest_rubric_row",
    "latest_rubrics",
    "latest_scenario",
    "latest_scenarios",
    "learner_enrollment",
    "learner_summary",
    "load_rubric",
    "load_scenario",
    "module_quiz_card",
    "new_scenario_row",
    "questions",
    "queue",
    "queue_summary",
    "quiz_definition",
    "quiz_for_module",
    "quiz_object",
    "quiz_result",
    "quiz_status",
    "quiz_summary",
    "quiz_title",
    "read_jsonl",
    "required_quizzes_passed",
    "result_page",
    "result_record",
    "review_items",
    "reviewable_answer",
    "save_answer",
    "scenario_rows",
    "scenario_source",
    "send_digest",
    "setup_bank",
    "start_attempt",
    "start_for_user",
    "submit_attempt",
    "submit_review",
]
