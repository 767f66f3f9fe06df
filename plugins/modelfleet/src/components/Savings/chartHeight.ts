/** The height of the savings month chart, and of its placeholder. */
export const SAVINGS_CHART_HEIGHT = 180;
