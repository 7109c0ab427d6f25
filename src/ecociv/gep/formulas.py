"""Physical-quantity formulas of the GEP accounts (生态产品实物量), as small pure functions.

Every argument is already in the canonical unit of ``data/units.yaml`` (lengths in m, areas in
m², masses in t, energy in kWh, money in 万元); a per-component argument (one value per
ecosystem type, lake, …) is a mapping from the component's name.  The accounts data
(``data/accounts.yaml``) names a formula by its function name and binds its parameters to
inputs and coefficients: nothing is ever evaluated from a string.  :data:`FORMULAS` is built by
the :func:`formula` decorator, so the table that dispatches is the list of valid names.

Sources (GEP.md §10): GZ = 白玛卓嘎, 肖燚, 欧阳志云, 王莉雁, 甘孜藏族自治州生态系统生产总值核算
研究, 生态学报 2017, 37(19):6302-6312; CX-BYD = 江波 et al., 白洋淀湿地生态系统最终服务价值评估,
生态学报 2017, 37(8):2497-2505; CX-LCJ / CX-JZW for the photosynthesis factors.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

Components = Mapping[str, Decimal]

_SECONDS_PER_HOUR = Decimal(3600)  # kJ → kWh
_KG_PER_T = Decimal(1000)
_M2_PER_KM2 = Decimal(1_000_000)
_M3_PER_WAN_M3 = Decimal(10_000)


class NegativeComponent(ValueError):
    """A component's physical quantity came out negative (e.g. ET + R > P for one type)."""

    def __init__(self, component: str, value: Decimal) -> None:
        self.component = component
        self.value = value
        super().__init__(component)


@dataclass(frozen=True, slots=True)
class Formula:
    """A registered formula: the function, its printed form and the source of that form."""

    name: str
    func: Callable[..., Decimal]
    text: str
    source: str
    params: tuple[str, ...]
    per_component: frozenset[str]


FORMULAS: dict[str, Formula] = {}


def formula(text: str, source: str, per_component: tuple[str, ...] = ()):
    """Register the decorated function under its name with its printed *text* and *source*."""

    def register(func: Callable[..., Decimal]) -> Callable[..., Decimal]:
        params = tuple(inspect.signature(func).parameters)
        FORMULAS[func.__name__] = Formula(
            func.__name__, func, text, source, params, frozenset(per_component)
        )
        return func

    return register


@formula("Q = x", "实物量按统计或监测值直接计入 / quantity as counted or measured")
def identity(x: Decimal) -> Decimal:
    """The quantity itself (a yearbook output, a water use, an emission, an area) [its unit]."""
    return x


@formula("Q = k·x", "GZ §2.4.7; CX-LCJ; CX-JZW (1.63 g CO₂ and 1.2 g O₂ per g dry matter)")
def scaled(x: Decimal, k: Decimal) -> Decimal:
    """A quantity proportional to another, e.g. CO₂ fixed = 1.63 × NPP (dry matter) [t]."""
    return k * x


@formula(
    "Q_w = Σ_i (P_i − R_i − ET_i)·A_i",
    "GZ §2.4.1 式(2)",
    per_component=("precipitation", "runoff", "evapotranspiration", "area"),
)
def water_conservation(
    precipitation: Components,
    runoff: Components,
    evapotranspiration: Components,
    area: Components,
) -> Decimal:
    """Water conservation (水源涵养量) [m³/a].

    P precipitation, R storm runoff (暴雨径流量) and ET evapotranspiration of ecosystem type
    *i* [m; the paper writes mm, converted on input], A_i its area [m²].  A type whose
    P − R − ET is negative raises :class:`NegativeComponent` rather than offsetting the others.
    """
    total = Decimal(0)
    for name, a in area.items():
        depth = precipitation[name] - runoff[name] - evapotranspiration[name]
        if depth < 0:
            raise NegativeComponent(name, depth)
        total += depth * a
    return total


@formula("Q_sd = λ·A_s / ρ", "GZ §2.4.2 式(3)")
def sediment_volume(retention: Decimal, deposit_ratio: Decimal, bulk_density: Decimal) -> Decimal:
    """Reduced sediment deposition (减少泥沙淤积量) [m³]: λ share of the retained soil A_s [t]
    that would settle in water bodies, over the soil bulk density ρ [t/m³]."""
    return deposit_ratio * retention / bulk_density


@formula("Q_n = A_s·C / 100", "GZ §2.4.2 式(4)")
def nutrient_load(retention: Decimal, content: Decimal) -> Decimal:
    """Reduced non-point nutrient load (减少氮/磷面源污染量) [t]: retained soil A_s [t] times its
    nutrient content C [%]."""
    return retention * content / 100


@formula("S_f = Q_f / (ρ·h)", "GZ §2.4.3 式(5)")
def sand_fixation_area(fixed_sand: Decimal, bulk_density: Decimal, thickness: Decimal) -> Decimal:
    """Area kept from desertification (防风固沙面积) [m²]: fixed sand Q_f [t] over the sand bulk
    density ρ [t/m³] and the standard sand-cover thickness h [m]."""
    return fixed_sand / (bulk_density * thickness)


@formula(
    "C_l = Σ_l e^a·(A_l/km²)^b ×10⁴ m³  (T = 1 a)",
    "GZ §2.4.4 式(6)，青藏高原湖区模型 (饶恩明 2014)",
    per_component=("lake_area",),
)
def lake_storage(lake_area: Components, coef_a: Decimal, coef_b: Decimal) -> Decimal:
    """Lake flood storage (湖泊调蓄量) [m³/a]: per lake, e^a·A^b in 万m³ with A in km²; a and b
    are regional coefficients of the lake-area model."""
    total = Decimal(0)
    for area in lake_area.values():
        total += coef_a.exp() * (area / _M2_PER_KM2) ** coef_b
    return total * _M3_PER_WAN_M3


@formula("C_r = k·C_t", "GZ §2.4.4 式(7)")
def reservoir_storage(capacity: Decimal, flood_share: Decimal) -> Decimal:
    """Reservoir flood storage (水库调蓄量) [m³]: flood-control share k of total capacity C_t."""
    return flood_share * capacity


@formula("C_m = d·S", "GZ §2.4.4 式(8)，印作 C_m = 0.3·S·10⁶ (S 以 km² 计)")
def marsh_storage(marsh_area: Decimal, depth: Decimal) -> Decimal:
    """Marsh flood storage (沼泽调蓄量) [m³]: the printed 0.3·S·10⁶ with S in km², read as a
    storage depth d = 0.3 m over the marsh area S [m²]."""
    return depth * marsh_area


@formula(
    "E_pt = Σ_i GPP_i·S_i·d / (3600·R)",
    "GZ §2.4.8 式(11)",
    per_component=("heat_flux", "area"),
)
def transpiration_cooling(
    heat_flux: Components, area: Components, days: Decimal, efficiency: Decimal
) -> Decimal:
    """Electricity an air conditioner would need to remove the heat that vegetation transpiration
    absorbs (植被蒸腾降温增湿耗电量) [kWh]: heat per unit area and day GPP_i [kJ/(m²·d)], area S_i
    [m²], days of air-conditioner use d [d], energy efficiency ratio R [-]."""
    heat = sum((heat_flux[name] * a for name, a in area.items()), Decimal(0))
    return heat * days / (_SECONDS_PER_HOUR * efficiency)


@formula("E_we = E·ρ·q / 3600 + E·γ", "GZ §2.4.8 式(12)")
def evaporation_cooling(
    evaporation: Decimal, water_density: Decimal, latent_heat: Decimal, humidifier: Decimal
) -> Decimal:
    """Electricity to cool and humidify as much as the water surface's evaporation does
    (水面蒸发降温增湿耗电量) [kWh]: evaporated water E [m³], density ρ [t/m³, ×1000 to kg],
    latent heat q [kJ/kg = J/g], humidifier use γ [kWh/m³]."""
    cooling = evaporation * water_density * _KG_PER_T * latent_heat / _SECONDS_PER_HOUR
    return cooling + evaporation * humidifier


@formula("V = TE + TV + CS", "CX-BYD (旅行费用法); GZ §2.5")
def travel_cost(expenditure: Decimal, time_cost: Decimal, consumer_surplus: Decimal) -> Decimal:
    """Recreation value by the travel-cost method (旅行费用法) [万元]: travel expenditure TE,
    time cost TV and consumer surplus CS."""
    return expenditure + time_cost + consumer_surplus
