// Browser entry point for the metrics panels and the dataset grid (filled in by their issues).
export {};
