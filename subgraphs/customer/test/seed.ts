export { addStaffMember, keyOf, signUpCustomer, type TestCustomer } from '@commerce/testkit';

export const SIGN_UP = `mutation ($input: CustomerSignUpInput!) {
  customerSignUp(input: $input) { customer { id email firstName lastName } accessToken refreshToken userErrors { field message code } }
}`;

export const LOG_IN = `mutation ($input: CustomerLogInInput!) {
  customerLogIn(input: $input) { customer { id email } accessToken refreshToken userErrors { field message code } }
}`;
