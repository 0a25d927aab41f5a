"""INN-2 合理化建议: the services, selectors, rates, pages, upload kind and seed of proposals."""
