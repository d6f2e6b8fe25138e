"""Django's password rules, with GOV.UK error messages (``AUTH_PASSWORD_VALIDATORS``).

The rules are Django's own; only the words change: "Password must be 8
characters or more" rather than "This password is too short. It must
contain at least 8 characters."
"""

from django.contrib.auth import password_validation


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "Choose a password that is less like your %(verbose_name)s"

    def get_help_text(self) -> str:
        return "Your password must not be like your name or email address."


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Password must be {self.min_length} characters or more"

    def get_help_text(self) -> str:
        return f"Your password must be {self.min_length} characters or more."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "Choose a password that is harder to guess: this one is too common"

    def get_help_text(self) -> str:
        return "Your password must not be one that many people use."


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Password must include a letter or symbol, not only numbers"

    def get_help_text(self) -> str:
        return "Your password must not be only numbers."
