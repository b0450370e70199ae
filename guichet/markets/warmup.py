"""Builds, in the background, the cached results the market pages read first, so the first
visitor after a load does not wait for them: France's export potential at the data's level
(about 20 s on the demonstration world, a minute on a full BACI year) and France's product
space (world complexity at HS4). Run by the worker after a load from the web and after the
demonstration data are built; a page that finds no cache computes it itself, as before."""

from guichet.markets.complexity_data import NoTradeData, latest_trade_year


def warm_caches(*, exporter: str = "FRA") -> list[str]:
    """Returns the names of the results now in the cache (empty when no trade year is loaded)."""
    from guichet.markets.potential import export_potential
    from guichet.markets.product_space import product_space

    if latest_trade_year() is None:
        return []
    built = []
    try:
        export_potential(exporter=exporter, limit=1)
        built.append("potentiel d'exportation")
        product_space(exporter=exporter)
        built.append("espace produits")
    except NoTradeData:
        return built
    return built
