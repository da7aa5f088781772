"""Notices of joint inspection (联合检查通知书): one per published visit, built from its code."""
