export { ConfirmDialog, type ConfirmDialogProps, Dialog, type DialogProps } from './dialog';
export { FieldError } from './field-error';
export { ProgressBar, type ProgressBarProps } from './progress-bar';
export { ScrollBox, type ScrollBoxProps } from './scroll-box';
