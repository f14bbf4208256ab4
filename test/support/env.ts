/** Every project: the environment the tests (and the stacks they spawn) run with. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
