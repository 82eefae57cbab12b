"""The methods behind each report section and their published sources, for the report's appendix.

One entry per method a section shows: what it computes, in the words a client reads, and the keys
of its sources. The full citations are the ones of ``docs/methods/*.md`` (where each formula is
written out); this module only collects them, so a report sent outside the team carries its own
references instead of pointing at a file the reader does not have.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["METHODS", "REFERENCES", "methods_table", "references_used"]

METHODS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "brief": [
        ("Zone of possible agreement between both sides' walk-aways (seller's floor to buyer's "
         "ceiling: reservation prices moved by changes in each side's best alternative, the "
         "counterpart's bounded by a rival's price); only options priced inside it are "
         "recommended", ("fisher-ury", "raiffa", "lax-sebenius")),
        ("Target package: the asymmetric Nash bargaining solution among the admissible packages, "
         "weighted by bargaining power; opening: the best admissible package for us that still "
         "beats their walk-away", ("nash", "kalai77", "roth79", "raiffa")),
        ("Concession ladder: give first where it costs us least per unit of their gain, ask "
         "where it gains us most per unit of their loss (logrolling)",
         ("froman-cohen", "pruitt81")),
        ("Engagement sequence: people who move others first, then the votes that close the "
         "coalition, then the required sign-offs", ("sebenius", "watkins-rosegrant")),
        ("A vote that also needs every sign-off: a compound voting game with a weighted "
         "representation (each signatory a veto player)", ("taylor-zwicker", "shapley-shubik")),
    ],
    "power": [
        ("Power balance: positional, psychological and systemic inputs of each side, weighted; "
         "balance = Σ weight × (our input − theirs)", ("french-raven", "emerson", "fisher-ury")),
        ("Walk-aways: each side's reservation price moved one for one by a change in the value "
         "of its best alternative; the counterpart's bounded by a rival's price",
         ("fisher-ury", "raiffa", "lax-sebenius")),
        ("Predicted price: the zone of possible agreement split by an asymmetric Nash bargaining "
         "solution whose weights come from each side's patience", ("nash", "kalai77", "brw")),
        ("Time pressure: alternating offers, the more patient side gets more", ("rubinstein",)),
        ("Trust: ability, benevolence, integrity", ("mayer",)),
        ("Trust in our reliability updated by the record of promises kept and broken (beta "
         "reputation); the trust plan builds each person's weakest dimension, with social proof "
         "from the references they trust", ("josang02", "mayer", "cialdini")),
        ("Reciprocity and commitment in the record of concessions", ("cialdini",)),
        ("How sure is this: every input drawn from its range, 90% intervals of the balance and "
         "the price, how often the posture holds, the smallest change that flips it",
         ("saltelli08",)),
        ("What drives the numbers: Sobol' sensitivity indices (first order and total) of the "
         "balance and the price, computed with SALib", ("sobol01", "saltelli08", "salib")),
    ],
    "influence": [
        ("Share of the decision: the Friedkin–Johnsen model of opinion formation on the advice "
         "and trust network (each person's final stance traced back to everyone's own view)",
         ("friedkin-johnsen",)),
        ("Informal power: PageRank on who listens to whom; compared with formal authority to "
         "flag hidden influencers and formal-only holders", ("brin-page",)),
        ("Engagement order: greedy choice of contacts with lazy evaluation (CELF), each contact "
         "moving the forecast decision most", ("kempe", "leskovec", "gionis")),
    ],
    "constraints": [
        ("Hidden constraints: prior × likelihood ratios of the evidence (Bayes' rule in odds "
         "form; weights of evidence in bits)", ("bayes", "good", "kass-raftery")),
        ("Evidence matrix and diagnosticity: Analysis of Competing Hypotheses",
         ("heuer", "heuer-pherson")),
        ("Next best question: expected information gain of each answer", ("lindley56", "shannon")),
    ],
    "value": [
        ("Packages scored with additive utilities: issue weight × option score per side",
         ("raiffa", "kersten-noronha")),
        ("Efficient frontier: packages no other package beats for both sides", ("kung",)),
        ("Fair points: Nash (weighted by bargaining power), Kalai–Smorodinsky, largest joint "
         "value", ("nash", "kalai77", "kalai-smorodinsky", "harsanyi")),
        ("Where to trade: issues that matter more to one side than to the other (logrolling)",
         ("froman-cohen",)),
    ],
    "coalitions": [
        ("Voting power: Shapley–Shubik and Banzhaf indices, computed exactly",
         ("shapley-shubik", "banzhaf", "penrose")),
        ("Minimal winning coalitions", ("riker",)),
        ("Coalition building order: sequencing, with stances moved by the influence network",
         ("sebenius", "friedkin-johnsen")),
        ("Power–interest grid", ("mendelow",)),
        ("Stakeholder salience: power, legitimacy, urgency", ("mitchell-agle-wood",)),
    ],
    "trends": [
        ("How the deal has moved: every headline recomputed on each dated version of the deal "
         "with the same methods as the sections below", ()),
        ("What changed since an earlier version: each input change's share of the change in the "
         "balance and the price (exact Shapley values)", ("shapley53",)),
    ],
    "changes": [
        ("Each input change's share of the change in the balance and the price: exact Shapley "
         "values over the changes", ("shapley53",)),
    ],
    "forecast": [
        ("Compromise model: the capability- and salience-weighted mean of the positions",
         ("thomson06", "leinaweaver-thomson14")),
        ("Weighted median and Condorcet winner of the positions", ("black48", "condorcet1785")),
        ("Expected-utility model: challenges, offers and position changes round by round",
         ("bdm94", "scholz11")),
        ("Exchange model: equal-gain exchanges of positions between actors who care about "
         "different issues", ("stokman-vanoosten94",)),
        ("Positions after influence through who listens to whom", ("friedkin-johnsen",)),
        ("Whom to move, by how much: the forecast's sensitivity to each actor", ("thomson06",)),
    ],
}

REFERENCES: dict[str, str] = {
    "black48": 'Black, D. (1948). On the rationale of group decision-making. Journal of Political Economy 56(1), 23–34.',
    "condorcet1785": "Condorcet, marquis de (1785). Essai sur l'application de l'analyse à la probabilité des décisions rendues à la pluralité des voix. Paris.",
    "bdm94": 'Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In B. Bueno de Mesquita & F. N. Stokman (eds.), European Community Decision Making. Yale University Press.',
    "scholz11": "Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno de Mesquita's group decision model. Journal of Theoretical Politics 23(4), 510–531.",
    "stokman-vanoosten94": 'Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions: an object-oriented model of policy networks. In B. Bueno de Mesquita & F. N. Stokman (eds.), European Community Decision Making, 105–127. Yale University Press.',
    "thomson06": 'Thomson, R., Stokman, F. N., Achen, C. H. & König, T. (eds.) (2006). The European Union Decides. Cambridge University Press.',
    "leinaweaver-thomson14": 'Leinaweaver, J. & Thomson, R. (2014). Testing models of legislative decision-making with measurement error. European Union Politics 15(1), 43–58.',
    "shapley53": 'Shapley, L. S. (1953). A value for n-person games. In H. W. Kuhn & A. W. Tucker (eds.), Contributions to the Theory of Games II, 307–317. Princeton University Press.',
    "josang02": 'Jøsang, A. & Ismail, R. (2002). The beta reputation system. Proceedings of the 15th Bled Electronic Commerce Conference.',
    "banzhaf": "Banzhaf, J. F. (1965). Weighted voting doesn't work: a mathematical analysis. "
               "Rutgers Law Review 19(2), 317–343.",
    "bayes": "Bayes, T. (1763). An essay towards solving a problem in the doctrine of chances. "
             "Philosophical Transactions of the Royal Society 53, 370–418.",
    "brin-page": "Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual web "
                 "search engine. Computer Networks and ISDN Systems 30, 107–117.",
    "brw": "Binmore, K., Rubinstein, A. & Wolinsky, A. (1986). The Nash bargaining solution in "
           "economic modelling. RAND Journal of Economics 17(2), 176–188.",
    "cialdini": "Cialdini, R. B. (2001). Influence: Science and Practice (4th ed.). Allyn & Bacon.",
    "emerson": "Emerson, R. M. (1962). Power-dependence relations. American Sociological Review "
               "27(1), 31–41.",
    "fisher-ury": "Fisher, R. & Ury, W. (1981). Getting to Yes. Houghton Mifflin.",
    "french-raven": "French, J. R. P. & Raven, B. (1959). The bases of social power. In "
                    "D. Cartwright (ed.), Studies in Social Power, 150–167. University of "
                    "Michigan.",
    "friedkin-johnsen": "Friedkin, N. E. & Johnsen, E. C. (1999). Social influence networks and "
                        "opinion change. Advances in Group Processes 16, 1–29.",
    "froman-cohen": "Froman, L. A. & Cohen, M. D. (1970). Compromise and logroll: comparing the "
                    "efficiency of two bargaining processes. Behavioral Science 15(2), 180–183.",
    "gionis": "Gionis, A., Terzi, E. & Tsaparas, P. (2013). Opinion maximization in social "
              "networks. Proceedings of the SIAM International Conference on Data Mining, "
              "387–395.",
    "good": "Good, I. J. (1950). Probability and the Weighing of Evidence. Griffin.",
    "harsanyi": "Harsanyi, J. C. (1955). Cardinal welfare, individualistic ethics, and "
                "interpersonal comparisons of utility. Journal of Political Economy 63(4), "
                "309–321.",
    "heuer": "Heuer, R. J., Jr. (1999). Psychology of Intelligence Analysis, ch. 8 \"Analysis of "
             "Competing Hypotheses\". CIA Center for the Study of Intelligence.",
    "heuer-pherson": "Heuer, R. J., Jr. & Pherson, R. H. (2011). Structured Analytic Techniques "
                     "for Intelligence Analysis. CQ Press.",
    "kalai-smorodinsky": "Kalai, E. & Smorodinsky, M. (1975). Other solutions to Nash's "
                         "bargaining problem. Econometrica 43(3), 513–518.",
    "kalai77": "Kalai, E. (1977). Nonsymmetric Nash solutions and replications of 2-person "
               "bargaining. International Journal of Game Theory 6(3), 129–133.",
    "kass-raftery": "Kass, R. E. & Raftery, A. E. (1995). Bayes factors. Journal of the American "
                    "Statistical Association 90(430), 773–795.",
    "kempe": "Kempe, D., Kleinberg, J. & Tardos, É. (2003). Maximizing the spread of influence "
             "through a social network. KDD '03, 137–146.",
    "kersten-noronha": "Kersten, G. E. & Noronha, S. J. (1999). WWW-based negotiation support: "
                       "design, implementation, and use. Decision Support Systems 25(2), "
                       "135–154.",
    "lax-sebenius": "Lax, D. A. & Sebenius, J. K. (1986). The Manager as Negotiator: Bargaining "
                    "for Cooperation and Competitive Gain. Free Press.",
    "kung": "Kung, H. T., Luccio, F. & Preparata, F. P. (1975). On finding the maxima of a set "
            "of vectors. Journal of the ACM 22(4), 469–476.",
    "leskovec": "Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J. & "
                "Glance, N. (2007). Cost-effective outbreak detection in networks. KDD '07, "
                "420–429.",
    "lindley56": "Lindley, D. V. (1956). On a measure of the information provided by an "
                 "experiment. Annals of Mathematical Statistics 27(4), 986–1005.",
    "mayer": "Mayer, R. C., Davis, J. H. & Schoorman, F. D. (1995). An integrative model of "
             "organizational trust. Academy of Management Review 20(3), 709–734.",
    "mendelow": "Mendelow, A. L. (1981). Environmental scanning — the impact of the stakeholder "
                "concept. Proceedings of the 2nd International Conference on Information "
                "Systems, 407–418.",
    "mitchell-agle-wood": "Mitchell, R. K., Agle, B. R. & Wood, D. J. (1997). Toward a theory of "
                          "stakeholder identification and salience. Academy of Management Review "
                          "22(4), 853–886.",
    "nash": "Nash, J. F. (1950). The bargaining problem. Econometrica 18(2), 155–162.",
    "penrose": "Penrose, L. S. (1946). The elementary statistics of majority voting. Journal of "
               "the Royal Statistical Society 109(1), 53–57.",
    "raiffa": "Raiffa, H. (1982). The Art and Science of Negotiation. Harvard University Press.",
    "pruitt81": "Pruitt, D. G. (1981). Negotiation Behavior. Academic Press.",
    "riker": "Riker, W. H. (1962). The Theory of Political Coalitions. Yale University Press.",
    "roth79": "Roth, A. E. (1979). Axiomatic Models of Bargaining. Lecture Notes in Economics "
              "and Mathematical Systems 170. Springer.",
    "rubinstein": "Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. "
                  "Econometrica 50(1), 97–109.",
    "salib": "Herman, J. & Usher, W. (2017). SALib: An open-source Python library for sensitivity "
             "analysis. Journal of Open Source Software 2(9), 97.",
    "saltelli08": "Saltelli, A., Ratto, M., Andres, T., Campolongo, F., Cariboni, J., Gatelli, D., "
                  "Saisana, M. & Tarantola, S. (2008). Global Sensitivity Analysis: The Primer. "
                  "Wiley.",
    "sebenius": "Sebenius, J. K. (1996). Sequencing to build coalitions: with whom should I talk "
                "first? In Zeckhauser, Keeney & Sebenius (eds), Wise Choices, 324–348. Harvard "
                "Business School Press.",
    "shannon": "Shannon, C. E. (1948). A mathematical theory of communication. Bell System "
               "Technical Journal 27, 379–423, 623–656.",
    "shapley-shubik": "Shapley, L. S. & Shubik, M. (1954). A method for evaluating the "
                      "distribution of power in a committee system. American Political Science "
                      "Review 48(3), 787–792.",
    "sobol01": "Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical "
               "models and their Monte Carlo estimates. Mathematics and Computers in Simulation "
               "55(1–3), 271–280.",
    "taylor-zwicker": "Taylor, A. D. & Zwicker, W. S. (1999). Simple Games: Desirability "
                      "Relations, Trading, Pseudoweightings. Princeton University Press.",
    "watkins-rosegrant": "Watkins, M. & Rosegrant, S. (2001). Breakthrough International "
                         "Negotiation: How Great Negotiators Transformed the World's Toughest "
                         "Post-Cold War Conflicts. Jossey-Bass.",
}


def _short(key: str) -> str:
    """'Nash (1950)' from the full citation: authors' surnames and the year.

    >>> [_short(k) for k in ("nash", "french-raven", "brw", "heuer", "heuer-pherson")]
    ['Nash (1950)', 'French & Raven (1959)', 'Binmore et al. (1986)', 'Heuer (1999)', 'Heuer & Pherson (2011)']
    """
    cite = REFERENCES[key]
    authors, _, rest = cite.partition(" (")
    year = rest[:4]
    names = [a.strip().split(",")[0] for a in authors.replace(" & ", ", ").split(".,")]
    names = [n for n in names if n and n.rstrip(".") != "Jr"]
    if len(names) > 2:
        return f"{names[0]} et al. ({year})"
    return f"{' & '.join(names)} ({year})"


def methods_table(section_keys) -> pd.DataFrame:
    """Methods of the sections shown (in report order), each with its sources in short form."""
    rows = [{"section": key, "method": method, "sources": "; ".join(_short(k) for k in keys)}
            for key in section_keys for method, keys in METHODS.get(key, [])]
    return pd.DataFrame(rows, columns=["section", "method", "sources"])


def references_used(section_keys) -> list[str]:
    """Full citations of every source the shown sections use, alphabetically."""
    keys = {k for key in section_keys for _, ks in METHODS.get(key, []) for k in ks}
    return sorted(REFERENCES[k] for k in keys)
