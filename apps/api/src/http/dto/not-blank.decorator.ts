import { Matches } from 'class-validator';

/**
 * Text a person reads (a subject, a message): at least one character that is not white space.
 * A blank message would still go out to Slack, webhooks, callbacks and the customer.
 */
export const NotBlank = () => Matches(/\S/, { message: ({ property }) => `${property} must not be blank` });
