"""``in`` lookups on integer columns that ignore values no such column can hold.

Django already answers "nothing" for ``=``, ``<`` and ``>`` against a number out of the
column's range, but hands such a number to the database in an ``IN (...)`` list, where
SQLite fails with OverflowError: a form's multi-select posting a 30-digit id would be a
500 instead of "not one of the choices".
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)
