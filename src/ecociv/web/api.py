"""The REST API ``/api/v1`` (token or session auth), with its OpenAPI document.

Mounted by :func:`ecociv.web.app.create_app` as a sub-application, so its OpenAPI document
(``/api/v1/openapi.json``) lists exactly the API.  Routes are thin: they read the request, call
one service, and shape the answer with the models of :mod:`ecociv.web.api_models`.
"""

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Path, Query, Response

from ecociv import __version__
from ecociv.settings import Settings
from ecociv.store.services import assessment, indicators, observations, plans, projects, regions
from ecociv.store.services.value_check import FIRST_YEAR, TARGET_YEAR_MAX, last_observed_year
from ecociv.web import api_problems, api_projects, api_tasks, present
from ecociv.web.api_models import (
    CODE_PATTERN,
    ERROR_RESPONSES,
    HistoryOut,
    IndicatorOut,
    InvestmentGroupOut,
    ObservationIn,
    ObservationOut,
    PlanOut,
    ProjectOut,
    RegionOut,
    TargetIn,
    TargetOut,
    VerdictsOut,
)
from ecociv.web.csrf import verify_csrf
from ecociv.web.dashboard_data import dashboard_dict
from ecociv.web.deps import CurrentUser, DbSession, Writer, require_region_edit
from ecociv.web.gep_api import add_gep_routes
from ecociv.web.indicator_data import indicator_dict
from ecociv.web.report_api import add_report_routes

RegionCode = Annotated[str, Path(max_length=32, pattern=CODE_PATTERN)]
IndicatorCode = Annotated[str, Path(max_length=100, pattern=CODE_PATTERN)]
OBSERVED_YEARS = (
    f"{FIRST_YEAR} to the current year (values are entered for years that have happened)"
)
TargetYear = Annotated[int, Path(ge=FIRST_YEAR, le=TARGET_YEAR_MAX)]
ObservedYear = Annotated[int, Path(ge=FIRST_YEAR, description=OBSERVED_YEARS)]
"""Its upper bound, the current year, moves: the service checks it, and :func:`_openapi`
writes it into the document each time the document is asked for."""
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def create_api(settings: Settings) -> FastAPI:
    api = FastAPI(
        title="ecociv API",
        version=__version__,
        description="行政区、规划、指标、年度数据、研判结果、重点项目与评估报告 / regions, plans, "
        "indicators, observations, verdicts, projects and reports.  Authenticate with "
        "`Authorization: Bearer <token>` (ecociv token create) or a signed-in session "
        "(then writes need the X-CSRF-Token header).",
        docs_url=None,  # Swagger UI would load its scripts from a CDN; the document is enough
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(verify_csrf)],
        responses=ERROR_RESPONSES,
    )

    @api.get("/regions", response_model=list[RegionOut], tags=["regions"])
    def list_regions(db: DbSession, user: CurrentUser) -> list[dict]:
        return [present.region_dict(r) for r in regions.list_regions(db)]

    @api.get("/regions/{code}", response_model=RegionOut, tags=["regions"])
    def get_region(code: RegionCode, db: DbSession, user: CurrentUser) -> dict:
        return present.region_dict(regions.get_region(db, code))

    @api.get("/plans", response_model=list[PlanOut], tags=["plans"])
    def list_plans(
        db: DbSession,
        user: CurrentUser,
        region: Annotated[str | None, Query(max_length=32, pattern=CODE_PATTERN)] = None,
    ) -> list[dict]:
        return [present.plan_dict(p) for p in plans.list_plans(db, region)]

    @api.get("/plans/{plan_id}", response_model=PlanOut, tags=["plans"])
    def get_plan(plan_id: PlanId, db: DbSession, user: CurrentUser) -> dict:
        return present.plan_dict(plans.get_plan(db, plan_id))

    @api.get("/plans/{plan_id}/indicators", response_model=list[IndicatorOut], tags=["indicators"])
    def list_indicators(plan_id: PlanId, db: DbSession, user: CurrentUser) -> list[dict]:
        return [indicator_dict(i) for i in indicators.list_indicators(db, plan_id)]

    @api.put(
        "/plans/{plan_id}/indicators/{indicator_code}/targets/{year:int}",
        response_model=TargetOut,
        tags=["indicators"],
    )
    def put_target(
        plan_id: PlanId,
        indicator_code: IndicatorCode,
        year: TargetYear,
        body: TargetIn,
        db: DbSession,
        user: Writer,
    ) -> dict:
        """Set the plan's target for *year* (new without ``expected_version``, else an update
        of the version read); the previous text stays in the history."""
        indicator = indicators.find_indicator(db, plan_id, indicator_code)
        require_region_edit(user, plans.get_plan(db, plan_id).region)
        target = indicators.set_target(
            db,
            user,
            indicator.id,
            year=year,
            text=body.text,
            expected_version=body.expected_version,
        )
        return {"year": target.year, "text": target.text, "version": target.version}

    @api.get("/plans/{plan_id}/verdicts", response_model=VerdictsOut, tags=["verdicts"])
    def verdicts(
        plan_id: PlanId,
        db: DbSession,
        user: CurrentUser,
        region: Annotated[str | None, Query(max_length=32, pattern=CODE_PATTERN)] = None,
        as_of: Annotated[int | None, Query(ge=FIRST_YEAR, le=TARGET_YEAR_MAX)] = None,
    ) -> dict:
        """Every indicator judged for the region (the plan's own by default) with the values
        up to *as_of*: plan verdict, standard verdict, projection, counts by domain."""
        result = assessment.assess_plan(db, plan_id, region_code=region, as_of=as_of)
        return {
            "plan_id": result.plan_id,
            "region_code": result.region_code,
            **dashboard_dict(result),
        }

    @api.get("/plans/{plan_id}/projects", response_model=list[ProjectOut], tags=["projects"])
    def list_projects(plan_id: PlanId, db: DbSession, user: CurrentUser) -> list[dict]:
        return [present.project_dict(p) for p in projects.list_projects(db, plan_id)]

    @api.get(
        "/plans/{plan_id}/investment",
        response_model=list[InvestmentGroupOut],
        tags=["projects"],
    )
    def investment(
        plan_id: PlanId,
        db: DbSession,
        user: CurrentUser,
        by: Annotated[Literal["category", "year", "lead_unit"], Query()] = "category",
    ) -> list[dict]:
        return [asdict(g) for g in projects.investment_summary(db, plan_id, by)]

    @api.get(
        "/regions/{code}/observations", response_model=list[ObservationOut], tags=["observations"]
    )
    def list_observations(
        code: RegionCode,
        db: DbSession,
        user: CurrentUser,
        indicator: Annotated[str | None, Query(max_length=100, pattern=CODE_PATTERN)] = None,
    ) -> list[dict]:
        found = observations.list_observations(
            db, code, indicator_codes=[indicator] if indicator else None
        )
        return [present.observation_dict(o) for o in found]

    @api.put(
        "/regions/{code}/observations/{indicator_code}/{year:int}",
        response_model=ObservationOut,
        tags=["observations"],
    )
    def put_observation(
        code: RegionCode,
        indicator_code: IndicatorCode,
        year: ObservedYear,
        body: ObservationIn,
        db: DbSession,
        user: Writer,
    ) -> dict:
        saved = observations.save_observation(
            db,
            user,
            region_code=code,
            indicator_code=indicator_code,
            year=year,
            **body.model_dump(),
        )
        return present.observation_dict(saved)

    @api.delete(
        "/regions/{code}/observations/{indicator_code}/{year:int}",
        status_code=204,
        tags=["observations"],
    )
    def delete_observation(
        code: RegionCode,
        indicator_code: IndicatorCode,
        year: ObservedYear,
        expected_version: Annotated[int, Query(ge=1, le=2**31 - 1)],
        db: DbSession,
        user: Writer,
    ) -> Response:
        observations.delete_observation(
            db,
            user,
            region_code=code,
            indicator_code=indicator_code,
            year=year,
            expected_version=expected_version,
        )
        return Response(status_code=204)

    @api.get(
        "/regions/{code}/observations/{indicator_code}/history",
        response_model=list[HistoryOut],
        tags=["observations"],
    )
    def history(
        code: RegionCode, indicator_code: IndicatorCode, db: DbSession, user: CurrentUser
    ) -> list[dict]:
        return [
            present.history_dict(h)
            for h in observations.observation_history(db, code, indicator_code)
        ]

    add_gep_routes(api)
    add_report_routes(api)
    api.include_router(api_projects.router, prefix="/projects")
    api.include_router(api_problems.router, prefix="/problems")
    api.include_router(api_tasks.router, prefix="/tasks")
    api.openapi = lambda: _openapi(api)  # type: ignore[method-assign]
    return api


def _openapi(api: FastAPI) -> dict:
    """The document with this year as the upper bound of every observed year (the bound the
    service applies), rebuilt when the year turns."""
    year = last_observed_year()
    if api.openapi_schema is None or api.state.openapi_year != year:
        api.openapi_schema = None
        schema = FastAPI.openapi(api)
        for operation in (op for item in schema["paths"].values() for op in item.values()):
            for parameter in operation.get("parameters", []):
                if parameter.get("description") == OBSERVED_YEARS:
                    parameter["schema"]["maximum"] = year
        api.state.openapi_year = year
    return api.openapi_schema
