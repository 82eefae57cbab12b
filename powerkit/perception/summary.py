"""One summary of a deal's perceived networks for walkthrough 2: the aggregated structures,
each perceiver's accuracy and competence, and who sees whom as influential."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from ..errors import MissingTableError, bad_argument
from .accuracy import accuracy, describe_reference, reference_matrix
from .css import CSS, RULES, consensus, css_array, locally_aggregated
from .cultural import competence, competence_with_bias
from .views import influential_views, perceived_in_degree

__all__ = ["Perception", "perception", "has_perceptions", "perceived_kinds"]


def perceived_kinds(deal) -> list:
    """The tie kinds of a deal's ``perceived_ties`` (empty when it has none).

    >>> from powerkit.deal.reference import load_reference
    >>> perceived_kinds(load_reference("krackhardt"))
    []
    """
    pt = getattr(deal, "perceived_ties", None)
    if pt is None or len(pt) == 0:
        return []
    return sorted(str(k) for k in pd.unique(pt["kind"].dropna()))


def has_perceptions(deal, kind: str | None = None) -> bool:
    """Whether the deal has perceived ties (of ``kind``, if given).

    >>> from powerkit.deal.reference import load_reference
    >>> has_perceptions(load_reference("krackhardt"))
    False
    """
    kinds = perceived_kinds(deal)
    return bool(kinds) and (kind is None or kind in kinds)


@dataclass
class Perception:
    """What walkthrough 2's section "Who sees the network right" shows.

    Attributes
    ----------
    kind : str
        The tie kind.
    css : CSS
        The views as an array (people, perceivers).
    names : pandas.Series
        Display name by id.
    reference : str
        Which structure accuracy is scored against (a rule of
        :func:`~powerkit.perception.locally_aggregated` or ``"consensus"``).
    threshold : float
        The consensus threshold.
    structures : pandas.DataFrame
        One row per aggregated structure (intersection, row, column, union LAS; consensus at
        ``threshold``): ``ties`` and ``density`` (ties / n(n − 1)).
    accuracy : pandas.DataFrame
        :func:`~powerkit.perception.accuracy` against ``reference``, with ``name``,
        ``competence`` (:func:`~powerkit.perception.competence`), ``competence_bias``
        (:func:`~powerkit.perception.competence_with_bias`) and ``sought_by`` (in-degree in the
        reference: how many go to the perceiver), best first.
    competence : pandas.DataFrame
        The competence frame (its ``attrs`` hold the eigenvalues and their ratio).
    views : pandas.DataFrame
        :func:`~powerkit.perception.influential_views` against the consensus.
    in_degree : pandas.DataFrame
        People × perceivers: in-degree in each view.
    headline : dict
        The numbers the notebook records.
    """

    kind: str
    css: CSS
    names: pd.Series
    reference: str
    threshold: float
    structures: pd.DataFrame
    accuracy: pd.DataFrame
    competence: pd.DataFrame
    views: pd.DataFrame
    in_degree: pd.DataFrame
    headline: dict = field(default_factory=dict)

    @property
    def perceivers(self) -> list:
        return list(self.css.perceivers)

    def reference_ties(self, reference=None, threshold: float | None = None) -> pd.DataFrame:
        """The ties of a reference structure (default this summary's) as ``source, target``."""
        ref = self.reference if reference is None else reference
        th = self.threshold if threshold is None else threshold
        a = reference_matrix(self.css, ref, th)
        s, t = np.nonzero(a)
        p = np.asarray(self.css.people, dtype=object)
        return pd.DataFrame({"source": p[s], "target": p[t]})


def perception(deal, kind: str = "advice", reference: str = "intersection",
               threshold: float = 0.5, top: int = 3) -> Perception:
    """The perceived-network summary of a deal (walkthrough 2, "Who sees the network right").

    Parameters
    ----------
    deal : Deal
        With a ``perceived_ties`` table; its stakeholders are the people.
    kind : str
        Tie kind of the perceived ties to analyse.
    reference : {"intersection", "union", "row", "column", "consensus"}
        What accuracy is scored against (default Krackhardt's intersection LAS).
    threshold : float
        Consensus threshold in (0, 1], for the consensus structure and ``views``.
    top : int
        Size of "the top" in who-sees-whom-as-influential.

    Returns
    -------
    Perception

    Raises
    ------
    MissingTableError
        If the deal has no perceived ties.
    InputError
        If it has none of ``kind``, or an argument is out of range.

    Examples
    --------
    >>> from powerkit import load_deal
    >>> from powerkit.paths import reference_dir
    >>> p = perception(load_deal(reference_dir() / "krackhardt-css"), kind="advice")
    >>> len(p.perceivers), int(p.structures.loc["intersection", "ties"])
    (21, 129)

    References
    ----------
    Krackhardt, D. (1987). Cognitive social structures. *Social Networks* 9, 109–134.
    Krackhardt, D. (1990). Assessing the political landscape. *ASQ* 35, 342–369.
    Romney, A. K., Weller, S. C. & Batchelder, W. H. (1986). Culture as consensus.
    *American Anthropologist* 88(2), 313–338.
    """
    if not has_perceptions(deal):
        raise MissingTableError("perceived_ties", "the perceived-network analysis")
    if reference not in (*RULES, "consensus"):
        raise bad_argument("reference", "perception",
                           f"one of {', '.join((*RULES, 'consensus'))}", reference)
    kinds = perceived_kinds(deal)
    if kind not in kinds:
        raise bad_argument("kind", "perception", "a kind of the deal's perceived ties ("
                           + ", ".join(kinds) + ")", kind)
    st = deal.stakeholders
    people = [str(p) for p in (st["stakeholder"] if "stakeholder" in st.columns else st.index)]
    names = (st.set_index("stakeholder")["name"] if "stakeholder" in st.columns
             else st["name"]).astype(str)
    names.index = names.index.astype(str)
    c = css_array(deal.perceived_ties, people=people, kind=kind)
    n = len(people)
    cells = n * (n - 1)
    rows = {r: len(locally_aggregated(c, rule=r)) for r in ("intersection", "row", "column",
                                                             "union")}
    rows[f"consensus ≥ {threshold:.0%}"] = len(consensus(c, threshold=threshold))
    structures = pd.DataFrame({"ties": pd.Series(rows)})
    structures["density"] = structures["ties"] / cells if cells else np.nan
    structures.index.name = "structure"
    comp = competence(c) if len(c.perceivers) >= 3 else pd.DataFrame(
        {"competence": np.nan, "agreement": np.nan}, index=pd.Index(c.perceivers,
                                                                    name="perceiver"))
    acc = accuracy(c, reference=reference, threshold=threshold)
    sought = pd.Series(reference_matrix(c, reference, threshold).sum(axis=0), index=people)
    acc.insert(0, "name", names.reindex(acc.index).to_numpy())
    acc["competence"] = comp["competence"].reindex(acc.index)
    acc["competence_bias"] = (competence_with_bias(c)["competence"].reindex(acc.index)
                              if len(c.perceivers) >= 3 else np.nan)
    acc["sought_by"] = sought.reindex(acc.index).astype(int)
    acc = acc.sort_values(["accuracy", "hits"], ascending=False, kind="stable")
    acc.attrs["reference"] = describe_reference(reference, threshold)
    views = influential_views(c, reference="consensus", top=top, threshold=threshold)
    views.insert(0, "name", names.reindex(views.index).to_numpy())
    best = acc.index[0]
    ok = acc["accuracy"].notna() & acc["sought_by"].notna()
    link = (float(spearmanr(acc.loc[ok, "accuracy"], acc.loc[ok, "sought_by"]).statistic)
            if ok.sum() > 2 and acc.loc[ok, "accuracy"].nunique() > 1
            and acc.loc[ok, "sought_by"].nunique() > 1 else float("nan"))
    headline = {
        "kind": kind,
        "n_perceivers": len(c.perceivers),
        "reference": describe_reference(reference, threshold),
        "las_intersection_ties": int(rows["intersection"]),
        "las_union_ties": int(rows["union"]),
        "consensus_ties": int(rows[f"consensus ≥ {threshold:.0%}"]),
        "most_accurate_id": str(best),
        "most_accurate": names.get(str(best), str(best)),
        "most_accurate_score": float(acc.loc[best, "accuracy"]),
        "mean_accuracy": float(acc["accuracy"].mean()),
        "most_competent_id": (str(comp["competence"].idxmax())
                              if comp["competence"].notna().any() else None),
        "eigenvalue_ratio": comp.attrs.get("ratio"),
        "consensus_top": views.attrs["reference_top"],
        "accuracy_vs_sought_spearman": link,
    }
    headline = {k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                for k, v in headline.items()}  # JSON for the notebook's record
    return Perception(kind=kind, css=c, names=names, reference=reference,
                      threshold=float(threshold), structures=structures, accuracy=acc,
                      competence=comp, views=views, in_degree=perceived_in_degree(c),
                      headline=headline)
