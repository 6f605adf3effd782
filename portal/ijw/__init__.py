"""The national message standard iJw 3.2: reading, importing and producing messages.

parsing.py reads a file safely and checks it against its XSD; importing.py imports one
message; one module per message kind (jw301.py, jw305.py, ...) maps it onto the portal;
registry.py lists the importers and exporters by message code.
"""
