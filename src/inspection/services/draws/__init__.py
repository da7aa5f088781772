"""Random draws of enterprises (双随机抽查) with a commitment to the seed before the draw."""
