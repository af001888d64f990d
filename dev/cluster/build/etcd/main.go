// Command etcd runs the etcd 3.5 server for the test cluster: kube-apiserver 1.31+ needs health
// endpoints that Debian's etcd 3.4.23 lacks.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
