/** Every API route lives under the platform's helpdesk base path (health and docs do not). */
export const BASE_PATH = '/public/v1/helpdesk';
