// The VS Code extension host entry point. Its features arrive with their issue
// (runs tree, commands, trainer process management); the bundle exists now so the
// build and packaging are in place from the start.
export function activate(): void {}
export function deactivate(): void {}
