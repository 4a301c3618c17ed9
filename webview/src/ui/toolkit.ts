/**
 * Every use of @vscode/webview-ui-toolkit goes through this folder, so that the deprecated
 * toolkit can be swapped in one place.
 */
export {
  VSCodeButton,
  VSCodeCheckbox,
  VSCodeDivider,
  VSCodeDropdown,
  VSCodeOption,
  VSCodeTextArea,
  VSCodeTextField,
} from '@vscode/webview-ui-toolkit/react';
