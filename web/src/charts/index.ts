export { BarList, type BarListRow } from './bar-list';
export { type Column, ColumnChart, type ColumnSeries, useWidth } from './column-chart';
export { COUNT_INCREMENTS, formatShare, niceStep, utcAxisLabel } from './format';
export { LineChart, type LineSeries } from './line-chart';
