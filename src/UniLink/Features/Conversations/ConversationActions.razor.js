export function timezoneOffset() {
    return new Date().getTimezoneOffset();
}
