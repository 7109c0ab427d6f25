"""Named options of the air computations: the choices where the standards are silent or were
not verified (MONITORING.md §2.2, §3.3), documented in docs/monitoring-air.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from ecociv.errors import InputError
from ecociv.monitor.rules import AirRules, Practice, PracticeName, ZoneClass

O3DailyMaxValidity = Literal["hj663_2013", "all_windows", "any_window"]
CityMethod = Literal["hj663_2013", "city_hourly", "station_daily"]
AnnualCompliance = Literal["mean_and_percentile", "annual_mean"]
O3MovingWindow = Literal["natural_day", "trailing"]


@dataclass(frozen=True)
class AirOptions:
    """Choices where the standards are silent or were not verified (docs/monitoring-air.md).

    practice
        ``"published"`` (default): what the monitoring networks publish (MONITORING.md §1.5):
        real-time AQI from the six 1-hour values, moving means reported beside it, the O3
        8-hour moving mean inside the natural day, every average rounded by GB/T 8170 before
        its IAQI; ``"standard_text"``: the report tables read literally (HJ 633-2012 表4:
        moving means in the real-time AQI, trailing windows, exact averages).  The rule file's
        ``practices`` block gives each one's evidence.
    o3_8h_moving_window
        ``None`` (default): the practice's window; ``"natural_day"``: the last min(t, 8) hours
        of the natural day; ``"trailing"``: the 8 hours ending at the hour, across midnight
        (the Jinan city network, ../shared/real-air; ``ecociv monitor check`` detects it).

    o3_8h_max_validity
        ``"hj663_2013"`` (default): the daily maximum 8-hour mean is valid with ≥ 14 valid
        8-hour means among the 17 ending 08:00–24:00, or with fewer when its value already
        exceeds the limit (HJ 663-2013, unverified); ``"all_windows"``: all 17 valid;
        ``"any_window"``: at least one.
    city_method
        ``"hj663_2013"`` (default): city 24-hour means = mean of the stations' valid 24-hour
        means; city O3 from the city hourly series (mean of the stations' hourly values);
        ``"city_hourly"``: everything from the city hourly series; ``"station_daily"``:
        every daily value (O3 too) = mean of the stations' daily values.
    city_station_types
        Only stations whose ``type`` is listed enter a city value (``None``: all stations).
    zone_class
        GB 3095 zone class whose limits judge exceedances and compliance (default class 2).
    annual_compliance
        ``"mean_and_percentile"`` (default): SO2/NO2/PM10/PM2.5 comply when the annual mean and
        the 24-hour percentile both meet their limits (HJ 663-2013); ``"annual_mean"``: the
        annual mean alone.
    """

    practice: PracticeName = "published"
    o3_8h_moving_window: O3MovingWindow | None = None
    o3_8h_max_validity: O3DailyMaxValidity = "hj663_2013"
    city_method: CityMethod = "hj663_2013"
    city_station_types: tuple[str, ...] | None = None
    zone_class: ZoneClass = 2
    annual_compliance: AnnualCompliance = "mean_and_percentile"

    def __post_init__(self) -> None:
        for name, allowed in (
            ("practice", get_args(PracticeName)),
            ("o3_8h_moving_window", (None, *get_args(O3MovingWindow))),
            ("o3_8h_max_validity", get_args(O3DailyMaxValidity)),
            ("city_method", get_args(CityMethod)),
            ("zone_class", get_args(ZoneClass)),
            ("annual_compliance", get_args(AnnualCompliance)),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise InputError(
                    f"选项 {name} 的值 {value!r} 无效，可选：{', '.join(map(str, allowed))}",
                    f"option {name}={value!r} is invalid; choose one of "
                    f"{', '.join(map(str, allowed))}",
                )


DEFAULT_OPTIONS = AirOptions()


def practice_of(rules: AirRules, options: AirOptions) -> Practice:
    """The practice *options* chooses in *rules*, with its 8-hour window overridden if asked."""
    practice = rules.practices[options.practice]
    if options.o3_8h_moving_window is None:
        return practice
    return practice.model_copy(update={"o3_8h_moving_window": options.o3_8h_moving_window})
