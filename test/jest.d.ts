// aws-sdk-client-mock-jest's matchers (toHaveReceivedCommandWith, ...) on the expect of @jest/globals.
import 'aws-sdk-client-mock-jest';
